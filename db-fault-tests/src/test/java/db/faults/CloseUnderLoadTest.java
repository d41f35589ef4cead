package db.faults;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.DbConfig;
import db.api.PoolClosedException;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * close() under load: every connection runs {@code UPDATE …} and then waits, in the same transaction, for
 * an advisory lock the test holds (a statement that runs until it is cancelled, however long the pool
 * takes to open its connections on a loaded machine), and more threads wait in checkout. With a close timeout of 1 s, close() cancels the statements (driver
 * cancel request) before it aborts the connections: when it returns, no backend of the pool is active
 * and the row locks are free; the waiting threads got {@link PoolClosedException} at once.
 */
class CloseUnderLoadTest {

    static final int POOL = 4;
    static final int WAITERS = 3;
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);
    /** What close() may take beyond the close timeout: the cancel requests and the statements ending. */
    static final Duration CANCEL_BOUND = Duration.ofSeconds(5);

    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("close_load");
        schema.execute("CREATE TABLE item (id int PRIMARY KEY, v int NOT NULL);"
                + "INSERT INTO item SELECT g, 0 FROM generate_series(1, " + POOL + ") g");
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c3p0", "hikari"})
    void closeCancelsRunningStatementsAndWakesWaiters(String provider) throws Exception {
        String app = "faults-close-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        TestDatabase test = TestDatabase.get();
        schema.execute("UPDATE item SET v = 0");
        DbConfig.Builder config = DbConfig.builder()
                .sessionProvider(provider)
                .url(schema.jdbcUrl())
                .minSize(0)
                .maxSize(POOL)
                .checkoutTimeout(Duration.ofSeconds(30))
                .poolName(app)
                .applicationName(app)
                .property("db.pool.close-timeout", CLOSE_TIMEOUT.toString());
        if (test.user() != null) {
            config.user(test.user());
        }
        if (test.password() != null) {
            config.password(test.password());
        }
        // A key of this invocation only: other builds run this test against the same server at the same time.
        long lockKey = ThreadLocalRandom.current().nextLong();
        Connection holder = test.connect();
        try (Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + lockKey + ")");
        }
        Database db = Database.open(config.build());
        Map<String, Integer> workerErrors = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= POOL; i++) {
            int id = i;
            threads.add(start("long-" + i, () -> {
                try {
                    db.runInTransaction(s -> {
                        s.execute("UPDATE item SET v = v + 1 WHERE id = ?", id);
                        // runs until cancelled: the test holds the lock until after close() returned
                        s.queryOne("SELECT pg_advisory_xact_lock_shared(?)", rs -> 1, lockKey);
                    });
                    workerErrors.merge("none (completed)", 1, Integer::sum);
                } catch (RuntimeException e) {
                    workerErrors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                }
            }));
        }
        awaitActive(app, POOL);

        Map<String, Integer> waiterErrors = new ConcurrentHashMap<>();
        AtomicLong lastWaiterWokeNanos = new AtomicLong();
        for (int i = 0; i < WAITERS; i++) {
            threads.add(start("waiter-" + i, () -> {
                try {
                    db.openSession().close();
                    waiterErrors.merge("none (got a session)", 1, Integer::sum);
                } catch (RuntimeException e) {
                    waiterErrors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                } finally {
                    lastWaiterWokeNanos.accumulateAndGet(System.nanoTime(), Math::max);
                }
            }));
        }
        long waitersDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (db.stats().pending() < WAITERS && System.nanoTime() < waitersDeadline) {
            Thread.sleep(10);
        }
        assertThat(db.stats().pending()).as("waiters in checkout when close() begins").isEqualTo(WAITERS);

        long closeStart = System.nanoTime();
        db.close();
        long closeMs = (System.nanoTime() - closeStart) / 1_000_000;
        int activeAfter = activeBackends(app);
        long lockWaitMs = updateRowAsAnotherClient();
        // Statements close() did not cancel would now complete (and the assertion below says so).
        holder.close();
        for (Thread t : threads) {
            t.join(20_000);
        }
        long wakeMs = (lastWaiterWokeNanos.get() - closeStart) / 1_000_000;
        System.out.printf("[faults] close() under load (%s): returned after %d ms (close timeout %d ms) | active backends "
                        + "of the pool after close: %d | another client's UPDATE of a locked row waited %d ms | waiters "
                        + "woken %d ms after close() began: %s | long statements: %s%n",
                provider, closeMs, CLOSE_TIMEOUT.toMillis(), activeAfter, lockWaitMs, wakeMs, new TreeMap<>(waiterErrors),
                new TreeMap<>(workerErrors));

        assertThat(threads).as("every thread ended").noneMatch(Thread::isAlive);
        assertThat(activeAfter).as("backends of the pool still active when close() returned").isZero();
        assertThat(closeMs).as("close() bounded by close timeout + cancel")
                .isLessThanOrEqualTo(CLOSE_TIMEOUT.plus(CANCEL_BOUND).toMillis());
        assertThat(waiterErrors).as("threads waiting in checkout").isEqualTo(Map.of("PoolClosedException", WAITERS));
        assertThat(wakeMs).as("waiters get PoolClosedException at once, not after the close timeout")
                .isLessThan(CLOSE_TIMEOUT.toMillis());
        assertThat(workerErrors).as("the long statements were cancelled, none completed")
                .doesNotContainKey("none (completed)");
        assertThat(lockWaitMs).as("the row locks were released by close()").isBetween(0L, 2_000L);
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, "close-load-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits for the pool's statements to be running (blocked on the test's lock). Bounded by the checkout
     * timeout the workers have: the pool opens its connections one at a time, slowly on a loaded machine,
     * and the statements do not end by themselves, so nothing here depends on how long that takes.
     */
    private static void awaitActive(String app, int n) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (activeBackends(app) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the long statements did not start within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Backends of this test's pool (its own application_name) that are running a statement. */
    private static int activeBackends(String app) throws SQLException {
        try (Connection c = TestDatabase.get().connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND state = 'active'")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** How long an UPDATE of a row the pool's transactions had locked waits; -1 when 5 s were not enough. */
    private static long updateRowAsAnotherClient() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '5s'");
            long start = System.nanoTime();
            try {
                s.executeUpdate("UPDATE " + schema.name() + ".item SET v = v WHERE id = 1");
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    return -1; // still locked after 5 s
                }
                throw e;
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }
}
