package db.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import db.core.standalone.StandaloneContext;
import db.api.DbConfig;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unpooled data source both pool providers hand their pool ({@link TrackedConnections}): it counts each
 * physical connection's open and close once, keeps a fail-fast start's connection for the pool, and knows
 * what is still open so that a pool's close can drain for real.
 */
class TrackedConnectionsTest {
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("tracked");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    private static TrackedConnections tracked(Duration connectTimeout) {
        DbConfig.Builder b = DbConfig.builder().url(schema.jdbcUrl()).connectTimeout(connectTimeout);
        if (schema.database().user() != null) {
            b.user(schema.database().user());
        }
        if (schema.database().password() != null) {
            b.password(schema.database().password());
        }
        DbConfig config = b.build();
        return new TrackedConnections(StandaloneContext.of(config).connections(), "tracked test connections");
    }

    @Test
    void eachPhysicalConnectionIsCountedOnceWhenOpenedAndOnceWhenClosed() throws SQLException {
        TrackedConnections tracked = tracked(Duration.ofSeconds(5));
        Connection first = tracked.getConnection();
        Connection second = tracked.getConnection();
        assertThat(tracked.createdCount()).isEqualTo(2);
        assertThat(tracked.openCount()).isEqualTo(2);

        first.close();
        first.close(); // a pool may close twice after a failed test
        second.abort(Runnable::run);

        assertThat(tracked.openCount()).isZero();
        assertThat(tracked.closedCount()).isEqualTo(2);
    }

    @Test
    void aPrimedConnectionIsThePoolsFirstAndCostsNoSecondConnect() throws SQLException {
        TrackedConnections tracked = tracked(Duration.ofSeconds(5));
        tracked.prime(true);
        assertThat(tracked.createdCount()).isEqualTo(1);

        try (Connection first = tracked.getConnection()) {
            assertThat(tracked.createdCount()).isEqualTo(1);
            assertThat(first.isValid(5)).isTrue();
        }
        tracked.getConnection().close();
        assertThat(tracked.createdCount()).isEqualTo(2);

        tracked.prime(false);
        assertThat(tracked.createdCount()).isEqualTo(3);
        assertThat(tracked.openCount()).isZero();
    }

    @Test
    void afterShutDownNoConnectionIsMadeAndThePrimedOneIsClosed() throws SQLException {
        TrackedConnections tracked = tracked(Duration.ofSeconds(5));
        tracked.prime(true);

        tracked.shutDown();

        assertThat(tracked.openCount()).isZero();
        SQLException refused = catchThrowableOfType(SQLException.class, tracked::getConnection);
        assertThat(refused.getSQLState()).isEqualTo("08003");
        assertThat(tracked.createdCount()).isEqualTo(1);
    }

    @Test
    void whatIsStillLentOutIsWaitedForThenAborted() throws SQLException {
        TrackedConnections tracked = tracked(Duration.ofSeconds(5));
        Connection lent = tracked.getConnection();

        assertThat(tracked.awaitAllClosed(System.nanoTime() + Duration.ofMillis(30).toNanos())).isFalse();
        assertThat(tracked.abortRemaining()).isEqualTo(1);

        assertThat(lent.isClosed()).isTrue();
        assertThat(tracked.awaitAllClosed(System.nanoTime())).isTrue();
        assertThat(tracked.closedCount()).isEqualTo(1);
    }

    @Test
    void theDriversConnectionStaysReachableAndThePoolFindsThePhysicalOne() throws SQLException {
        TrackedConnections tracked = tracked(Duration.ofSeconds(5));
        try (Connection c = tracked.getConnection()) {
            assertThat(c.unwrap(TrackedConnections.Physical.class)).isSameAs(c);
            Connection driver = c.unwrap(Connection.class);
            assertThat(driver).isNotSameAs(c);
            assertThat(driver.getClass().getName()).startsWith("org.postgresql.");
            assertThat(c.isWrapperFor(driver.getClass())).isTrue();
        }
    }

    @Test
    void asADataSourceItHasTheConfiguredCredentialsAndLoginTimeoutOnly() throws SQLException {
        TrackedConnections tracked = tracked(Duration.ofMillis(2_500));

        assertThat(tracked.getLoginTimeout()).isEqualTo(3); // whole seconds, rounded up
        tracked.setLoginTimeout(30); // a pool setting its own timeout changes nothing
        assertThat(tracked.getLoginTimeout()).isEqualTo(3);
        assertThat(catchThrowableOfType(SQLFeatureNotSupportedException.class,
                () -> tracked.getConnection("someone", "else")).getMessage()).contains("configured credentials");
        assertThat(tracked.unwrap(TrackedConnections.class)).isSameAs(tracked);
        assertThat(tracked.isWrapperFor(Connection.class)).isFalse();
        assertThat(tracked.getLogWriter()).isNull();
        assertThat(tracked.createdCount()).isZero();
        assertThat(tracked).hasToString("tracked test connections");
    }
}
