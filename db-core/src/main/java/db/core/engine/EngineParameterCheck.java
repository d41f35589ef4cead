package db.core.engine;

import db.api.spi.ConfigKey;
import db.api.spi.ConfigKeySource;
import db.core.tls.TlsSettings;
import java.util.List;
import java.util.Map;

/**
 * The engine's part of building a {@code DbConfig}: libpq's TLS rules applied to the resolved parameters
 * (Switchboard's socket factory and host name check installed, every TLS file read once, so a missing file
 * or a wrong key password is a configuration problem), and the settings the pgjdbc on the path cannot
 * honour refused. It declares no keys of its own: the engine's are in {@code DbKeys}.
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
}
