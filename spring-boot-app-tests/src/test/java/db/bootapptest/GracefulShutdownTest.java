package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Database;
import db.api.PoolClosedException;
import db.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Shutting the application down closes Switchboard's pool, gracefully: work that is running when the context
 * closes finishes, commit included (the pool waits up to {@code db.pool.close-timeout} for lent connections), and
 * once the context has closed the server has no backend left with the pool's (unique) {@code application_name}.
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
            assertThat(TestDatabase.get().backends(applicationName)).as("backends while the application runs").isPositive();
        }
        assertThat(TestDatabase.get().awaitNoBackends(applicationName, Duration.ofSeconds(10))).as("backends after the context closed")
                .isZero();
        assertThatThrownBy(database::openSession).isInstanceOf(PoolClosedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3p0", "hikari"})
    void workInFlightAtShutdownFinishesBeforeThePoolCloses(String provider) throws Exception {
        Map<String, String> properties = TestProperties.of(null, provider, "bootdrain");
        properties.put("db.pool.close-timeout", "20s");
        String applicationName = properties.get("db.application-name");
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> work;
            try (ConfigurableApplicationContext context = Applications.start(properties)) {
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
                work = worker.submit(() -> tx.execute(status ->
                        jdbc.queryForObject("select 42 from pg_sleep(1.5)", Integer.class)));
                awaitRunning(applicationName, "pg_sleep", Duration.ofSeconds(20));
            } // the context closes while the statement still runs
            assertThat(work.get(30, TimeUnit.SECONDS)).as("the in-flight transaction returned and its commit succeeded").isEqualTo(42);
            assertThat(TestDatabase.get().awaitNoBackends(applicationName, Duration.ofSeconds(10))).isZero();
        } finally {
            worker.shutdownNow();
        }
    }

    /** Waits until the server runs a statement containing {@code text} for the pool. */
    private static void awaitRunning(String applicationName, String text, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = TestDatabase.get().connect(); PreparedStatement ps = c.prepareStatement(
                    "select count(*) from pg_stat_activity where application_name = ? and state = 'active' "
                            + "and position(? in query) > 0")) {
                ps.setString(1, applicationName);
                ps.setString(2, text);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no statement with '" + text + "' ran for " + applicationName + " within " + within);
    }
}
