package db.core.engine;

import db.api.ConfigException;
import db.api.DbConfig;
import db.api.spi.ConfigKey;
import db.api.spi.ConfigKeySource;
import db.core.tls.TlsSettings;
import java.util.List;
import java.util.Map;

/**
 * The engine's part of building a {@code DbConfig}: libpq's TLS rules applied to the resolved parameters
 * (Switchboard's socket factory and host name check installed, every TLS file read once, so a missing file
 * or a wrong key password is a configuration problem), and the settings the pgjdbc on the path cannot
 * honour refused. It declares no keys of its own: the engine's are in {@code DbKeys}. A configuration
 * built where {@code db.api} could not find this source is refused when a database opens
 * ({@link #requireApplied}).
 */
public final class EngineParameterCheck implements ConfigKeySource {

    /** For {@link java.util.ServiceLoader}. */
    public EngineParameterCheck() {
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of();
    }

    @Override
    public void checkParameters(Map<String, String> parameters, List<String> problems) {
        TlsSettings.check(parameters, problems);
        problems.addAll(DriverCompatibility.problems(parameters, DriverCompatibility.visible()));
    }

    /**
     * Refuses a configuration this check never saw: one built where {@code db.api} could not find
     * {@code db.core} (the engine only in a module layer the builder was not given), whose TLS would otherwise
     * run without libpq's rules.
     *
     * @throws ConfigException saying how to build it
     */
    static void requireApplied(DbConfig config) {
        if (!applied(config.urlParameters())) {
            throw new ConfigException(List.of("db.url: the configuration was built without the engine's checks "
                    + "(libpq's TLS rules and files): DbConfig.builder() did not find module db.core; build it with "
                    + "declareFrom(layer) for the module layer that holds db.core"));
        }
    }

    /**
     * Whether {@code parameters} passed {@link #checkParameters}: it leaves an {@code sslfactory} (Switchboard's
     * or the application's) or {@code sslmode=disable}, else the build failed.
     */
    static boolean applied(Map<String, String> parameters) {
        return parameters.containsKey("sslfactory") || "disable".equals(parameters.get("sslmode"));
    }
}
