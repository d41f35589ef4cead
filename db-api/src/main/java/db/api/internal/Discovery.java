package db.api.internal;

import db.api.ConfigException;
import db.api.DbConfig;
import db.api.DbKeys;
import db.api.spi.ErrorMapper;
import db.api.spi.QueryInstrumenter;
import db.api.spi.SelectedProviders;
import db.api.spi.SessionProvider;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the providers with {@link ServiceLoader}: in the module path and class path visible to the
 * context class loader, or in exactly one {@link ModuleLayer} (not its parents, which
 * {@link ServiceLoader#load(ModuleLayer, Class)} would also search). The engine is found by
 * {@link db.api.Database} itself.
 */
public final class Discovery {
    private final ModuleLayer layer;

    /** @param layer the one layer to search, or null for the class loaders' view */
    public Discovery(ModuleLayer layer) {
        this.layer = layer;
    }

    /** {@return the session provider, error mappers and instrumenters for {@code config}} */
    public SelectedProviders select(DbConfig config) {
        SessionProvider sessionProvider = selectSessionProvider(config);
        return new SelectedProviders(sessionProvider, errorMappers(), instrumenters(), layer);
    }

    /** {@return the one layer searched, or null for the class loaders' view} */
    public ModuleLayer layer() {
        return layer;
    }

    private SessionProvider selectSessionProvider(DbConfig config) {
        List<SessionProvider> found = load(SessionProvider.class);
        String wanted = config.sessionProvider().orElse(null);
        if (wanted != null) {
            return found.stream()
                    .filter(p -> p.name().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException(DbKeys.SESSION_PROVIDER.name() + "=" + wanted
                            + " but no SessionProvider of that name was found" + where() + "; found: "
                            + (found.isEmpty() ? "none" : describe(found))));
        }
        if (found.isEmpty()) {
            throw new ConfigException("No SessionProvider found" + where() + ". Add a pool module to the module path "
                    + "(or class path): the Maven dependency dev.switchboard:db-pool-c3p0 with <scope>runtime</scope> "
                    + "provides module db.pool.c3p0. db.api looks for implementations of "
                    + SessionProvider.class.getName() + " with ServiceLoader.");
        }
        if (found.size() > 1) {
            throw new ConfigException("Several SessionProviders found" + where() + ": " + describe(found)
                    + ". Choose one with " + DbKeys.SESSION_PROVIDER.name() + " (environment variable "
                    + DbConfig.envName(DbKeys.SESSION_PROVIDER.name()) + "), e.g. " + DbKeys.SESSION_PROVIDER.name() + "="
                    + found.get(0).name());
        }
        return found.get(0);
    }

    private List<ErrorMapper> errorMappers() {
        return load(ErrorMapper.class).stream()
                .sorted(Comparator.comparingInt(ErrorMapper::priority).reversed())
                .collect(Collectors.toList());
    }

    private List<QueryInstrumenter> instrumenters() {
        return load(QueryInstrumenter.class).stream()
                .sorted(Comparator.comparingInt(QueryInstrumenter::priority).reversed())
                .collect(Collectors.toList());
    }

    private <S> List<S> load(Class<S> type) {
        try {
            ServiceLoader<S> loader = layer == null ? ServiceLoader.load(type) : ServiceLoader.load(layer, type);
            return loader.stream()
                    .filter(p -> layer == null || p.type().getModule().getLayer() == layer)
                    .map(ServiceLoader.Provider::get)
                    .collect(Collectors.toList());
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("A " + type.getSimpleName() + " provider could not be loaded: " + e.getMessage());
        }
    }

    private String where() {
        return layer == null ? "" : " in the given module layer";
    }

    private static String describe(List<?> providers) {
        return providers.stream().map(Discovery::describeOne).collect(Collectors.joining(", "));
    }

    private static String describeOne(Object provider) {
        String name;
        if (provider instanceof SessionProvider sessionProvider) {
            name = sessionProvider.name();
        } else if (provider instanceof ErrorMapper errorMapper) {
            name = errorMapper.name();
        } else if (provider instanceof QueryInstrumenter queryInstrumenter) {
            name = queryInstrumenter.name();
        } else {
            name = provider.getClass().getName();
        }
        Module module = provider.getClass().getModule();
        return name + " (" + (module.isNamed() ? "module " + module.getName() : "class path") + ")";
    }
}
