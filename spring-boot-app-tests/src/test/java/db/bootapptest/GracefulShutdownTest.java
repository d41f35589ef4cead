package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Database;
import db.api.PoolClosedException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Shutting the application down closes Switchboard's pool: once the context has closed, the server has no
 * backend left with the pool's (unique) {@code application_name}.
 */
final class GracefulShutdownTest {

    @ParameterizedTest
    @ValueSource(strings = {"c3p0", "hikari"})
    void closingTheContextLeavesNoBackendOfThePool(String provider) throws Exception {
        Map<String, String> properties = TestProperties.of(null, provider, "bootstop");
        properties.put("db.pool.min-size", "2");
        String applicationName = properties.get("db.application-name");
        Database database;
        try (ConfigurableApplicationContext context = Applications.start(properties)) {
            database = context.getBean(Database.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            // the pool's own connection says which name the server sees
            assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class))
                    .isEqualTo(applicationName);
            assertThat(Backends.count(applicationName)).as("backends while the application runs").isPositive();
        }
        assertThat(Backends.awaitNone(applicationName, Duration.ofSeconds(10))).as("backends after the context closed")
                .isZero();
        assertThatThrownBy(database::openSession).isInstanceOf(PoolClosedException.class);
    }
}
