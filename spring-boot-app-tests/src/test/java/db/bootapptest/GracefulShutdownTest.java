package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Database;
import db.api.PoolClosedException;
import db.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
class GracefulShutdownTest {

    @ParameterizedTest
    @ValueSource(strings = {"c3p0", "hikari"})
    void closingTheContextLeavesNoBackendOfThePool(String provider) throws Exception {
        Map<String, String> properties = TestProperties.of(null, provider, "bootstop");
        properties.put("db.pool.min-size", "2");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        String applicationName = properties.get("db.application-name");
        Database database;
        try (ConfigurableApplicationContext context = Applications.start(properties)) {
            database = context.getBean(Database.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            // the pool's own connection says which name the server sees
            assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class))
                    .isEqualTo(applicationName);
            assertThat(backends(applicationName)).as("backends while the application runs").isPositive();
        }
        assertThat(awaitNoBackends(applicationName, Duration.ofSeconds(10))).as("backends after the context closed")
                .isZero();
        assertThatThrownBy(database::openSession).isInstanceOf(PoolClosedException.class);
    }

    /** Polls: a backend leaves pg_stat_activity a moment after its client closed the socket. */
    private static long awaitNoBackends(String applicationName, Duration within) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long n = backends(applicationName);
        while (n > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = backends(applicationName);
        }
        return n;
    }

    private static long backends(String applicationName) throws SQLException {
        try (Connection c = TestDatabase.get().connect();
             PreparedStatement ps = c.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
