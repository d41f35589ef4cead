package db.api.internal;

import db.api.ConfigException;
import db.api.DbConfig;
import db.api.spi.ErrorMapper;
import db.api.spi.QueryInstrumenter;
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
 * {@link ServiceLoader#load(ModuleLayer, Class)} would also search).
 */
final class Discovery {
    private final ModuleLayer layer;

    Discovery(ModuleLayer layer) {
        this.layer = layer;
    }

    SessionProvider selectSessionProvider(DbConfig config) {
        List<SessionProvider> found = load(SessionProvider.class);
        String wanted = config.sessionProvider().orElse(null);
        if (wanted != null) {
            return found.stream()
                    .filter(p -> p.name().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException(DbConfig.SESSION_PROVIDER + "=" + wanted
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
                    + ". Choose one with " + DbConfig.SESSION_PROVIDER + " (environment variable "
                    + DbConfig.envName(DbConfig.SESSION_PROVIDER) + "), e.g. " + DbConfig.SESSION_PROVIDER + "="
                    + found.get(0).name());
        }
        return found.get(0);
    }

    List<ErrorMapper> errorMappers() {
        return load(ErrorMapper.class).stream()
                .sorted(Comparator.comparingInt(ErrorMapper::priority).reversed())
                .collect(Collectors.toList());
    }

    List<QueryInstrumenter> instrumenters() {
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

    static String describe(List<?> providers) {
        return providers.stream().map(Discovery::describeOne).collect(Collectors.joining(", "));
    }

    static String describeOne(Object provider) {
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
