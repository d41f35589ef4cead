package db.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.DbConfig;
import db.api.spi.ConfigKeySource;
import db.core.tls.LibpqSslSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's checks as DbConfig runs them (a ConfigKeySource), and the refusal of a config that missed them. */
class EngineParameterCheckTest {

    @Test
    void dbConfigFindsTheCheckAndShowsWhatItInstalls() throws IOException {
        // provided on the module path and on the class path
        assertThat(EngineParameterCheck.class.getModule().getDescriptor().provides())
                .anyMatch(p -> p.service().equals(ConfigKeySource.class.getName())
                        && p.providers().equals(List.of(EngineParameterCheck.class.getName())));
        try (InputStream services = EngineParameterCheck.class.getResourceAsStream(
                "/META-INF/services/" + ConfigKeySource.class.getName())) {
            assertThat(services).isNotNull();
            assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo(EngineParameterCheck.class.getName());
        }
        DbConfig config = DbConfig.builder().url("postgresql://h/db").build();
        assertThat(config.urlParameters()).containsEntry("sslfactory", LibpqSslSocketFactory.class.getName());
        EngineParameterCheck.requireApplied(config);
        EngineParameterCheck.requireApplied(DbConfig.builder().url("postgresql://h/db?sslmode=disable").build());
    }

    @Test
    void itsProblemsAreListedWithTheOthers() {
        assertThatThrownBy(() -> DbConfig.builder()
                .url("postgresql://h/db?sslmode=verify-full&sslrootcert=/absent/ca.crt").minSize(5).maxSize(2).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.startsWith("db.url: ") && p.contains("/absent/ca.crt"))
                        .anyMatch(p -> p.startsWith("db.pool.min-size")));
    }

    @Test
    void parametersThatMissedTheCheckAreTold() {
        assertThat(EngineParameterCheck.applied(Map.of())).isFalse();
        assertThat(EngineParameterCheck.applied(Map.of("sslmode", "verify-full"))).isFalse();
        assertThat(EngineParameterCheck.applied(Map.of("sslmode", "disable"))).isTrue();
        assertThat(EngineParameterCheck.applied(Map.of("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory")))
                .isTrue();
    }
}
