package db.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConnectionException;
import db.api.Database;
import db.api.DbConfig;
import db.api.Health;
import db.api.Session;
import db.api.TransactionOutcomeUnknownException;
import db.testkit.TcpProxy;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code db.network-timeout} bounds every socket read during a stall (sockets open, no byte flowing): a
 * statement fails with {@link ConnectionException}, a COMMIT with {@link TransactionOutcomeUnknownException},
 * the connection is discarded, and {@code health()} stays within its own bound.
 */
class NetworkTimeoutTest {

    static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(2);
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling slack on a loaded 2-core machine. */
    static final long SLACK_MS = 1_500;

    private static TestSchema schema;
    private static TcpProxy proxy;
    private static Database db;

    @BeforeAll
    static void open() {
        TestDatabase test = TestDatabase.get();
        schema = test.createSchema("network_timeout");
        schema.execute("CREATE TABLE t (id int PRIMARY KEY)");
        proxy = TcpProxy.forJdbcUrl(test.jdbcUrl(), TcpProxy.Mode.FORWARD);
        DbConfig.Builder config = DbConfig.builder()
                .sessionProvider("c3p0")
                .url(proxy.rewrite(schema.jdbcUrl()))
                .minSize(1)
                .maxSize(2)
                .checkoutTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(2))
                .poolName("faults-network-timeout")
                .applicationName("faults-network-timeout")
                .property("db.network-timeout", NETWORK_TIMEOUT.toString())
                .property("db.health-timeout", HEALTH_TIMEOUT.toString());
        if (test.user() != null) {
            config.user(test.user());
        }
        if (test.password() != null) {
            config.password(test.password());
        }
        db = Database.open(config.build());
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @AfterEach
    void resume() {
        proxy.forward();
    }

    @Test
    void aStatementDuringAStallFailsAfterTheNetworkTimeoutAndItsConnectionIsDiscarded() {
        int pid;
        long elapsedMs;
        try (Session s = db.openSession()) {
            pid = s.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow();
            proxy.stall();
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.queryOne("SELECT 1", rs -> 1)).isInstanceOf(ConnectionException.class);
            elapsedMs = (System.nanoTime() - start) / 1_000_000;
        }
        proxy.resume();
        int next;
        try (Session s = db.openSession()) {
            next = s.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow();
        }
        System.out.printf("[faults] stalled statement failed after %d ms (network timeout %d ms); next session on "
                + "backend %s%n", elapsedMs, NETWORK_TIMEOUT.toMillis(), next == pid ? "the same (NOT discarded)" : "a new one");
        assertThat(elapsedMs).isBetween(NETWORK_TIMEOUT.toMillis() - 100, NETWORK_TIMEOUT.toMillis() + SLACK_MS);
        assertThat(next).as("the timed-out connection was discarded").isNotEqualTo(pid);
    }

    @Test
    void aCommitDuringAStallIsReportedAsUnknown() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> db.runInTransaction(s -> {
            s.execute("INSERT INTO t (id) VALUES (1)");
            proxy.stall(); // what follows is the COMMIT
        })).isInstanceOf(TransactionOutcomeUnknownException.class);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[faults] stalled COMMIT reported unknown after %d ms (network timeout %d ms)%n", elapsedMs,
                NETWORK_TIMEOUT.toMillis());
        assertThat(elapsedMs).isLessThanOrEqualTo(NETWORK_TIMEOUT.toMillis() + SLACK_MS);
    }

    @Test
    void healthDuringAStallAnswersWithinItsTimeout() throws InterruptedException {
        assertThat(db.health().healthy()).isTrue();
        Thread.sleep(600); // past the pool's validation window: the probe's checkout validates
        proxy.stall();
        long start = System.nanoTime();
        Health health = db.health();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[faults] health() during a stall: healthy=%s after %d ms (health timeout %d ms)%n",
                health.healthy(), elapsedMs, HEALTH_TIMEOUT.toMillis());
        assertThat(health.healthy()).isFalse();
        assertThat(elapsedMs).isLessThanOrEqualTo(HEALTH_TIMEOUT.toMillis() + SLACK_MS);
        proxy.resume();
        // The probe's connection, stalled past the network timeout, does not poison the pool.
        long deadline = System.nanoTime() + NETWORK_TIMEOUT.plusSeconds(5).toNanos();
        boolean healthy = false;
        while (!healthy && System.nanoTime() < deadline) {
            healthy = db.health().healthy();
        }
        assertThat(healthy).as("healthy again after the stall").isTrue();
    }
}
