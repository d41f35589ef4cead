package db.api.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code db.api} found for one {@link db.api.Database}: the session provider it chose, the error mappers
 * and instrumenters in the order they are asked (highest {@code priority()} first), and the module layer
 * they were looked up in, if one was given (the engine looks up the JDBC driver there too).
 */
public final class SelectedProviders {
    private final SessionProvider sessionProvider;
    private final List<ErrorMapper> errorMappers;
    private final List<QueryInstrumenter> instrumenters;
    private final ModuleLayer layer;

    /**
     * Copies the lists.
     *
     * @param sessionProvider the chosen session provider
     * @param errorMappers    the error mappers, highest priority first
     * @param instrumenters   the instrumenters, highest priority first
     * @param layer           the layer the providers were found in, or null for the class loaders' view
     */
    public SelectedProviders(SessionProvider sessionProvider, List<ErrorMapper> errorMappers,
                             List<QueryInstrumenter> instrumenters, ModuleLayer layer) {
        this.sessionProvider = Objects.requireNonNull(sessionProvider, "sessionProvider");
        this.errorMappers = List.copyOf(errorMappers);
        this.instrumenters = List.copyOf(instrumenters);
        this.layer = layer;
    }

    /** {@return the chosen session provider} */
    public SessionProvider sessionProvider() {
        return sessionProvider;
    }

    /** {@return the error mappers, highest priority first} */
    public List<ErrorMapper> errorMappers() {
        return errorMappers;
    }

    /** {@return the instrumenters, highest priority first} */
    public List<QueryInstrumenter> instrumenters() {
        return instrumenters;
    }

    /** {@return the layer the providers were found in, empty when they were found through the class loaders} */
    public Optional<ModuleLayer> layer() {
        return Optional.ofNullable(layer);
    }

    /** {@return the session provider's name and where it came from, e.g. {@code c3p0 (module db.pool.c3p0)}} */
    public String describeSessionProvider() {
        Module module = sessionProvider.getClass().getModule();
        return sessionProvider.name() + " (" + (module.isNamed() ? "module " + module.getName() : "class path") + ")";
    }

    @Override
    public String toString() {
        return "SelectedProviders[" + describeSessionProvider() + ", " + errorMappers.size() + " error mappers, "
                + instrumenters.size() + " instrumenters]";
    }
}
