package db.faults;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.Session;
import db.testkit.PgCluster;
import db.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An outage shorter than the checkout timeout costs latency, not errors: while the database is
 * unreachable, waiters wait (up to the checkout timeout) for the pool to reconnect, and connection
 * attempts back off. Work in flight at the moment of the fault may still fail (mapped); no checkout does.
 * Faults: the proxy refuses every new connection for 3 s (open ones cut) with a 10 s checkout timeout;
 * and a real fast restart of the throwaway cluster.
 */
class ShortOutageTest {

    static final int THREADS = 16;
    static final int POOL = 8;
    static final Duration CHECKOUT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration OUTAGE = Duration.ofSeconds(3);
    /**
     * Connect attempts that may reach the network during the 3 s outage: with the core's back-off (first
     * step 250 ms, doubling, ±20 % jitter, capped at 2 s) one attempt per step gets through, the steps of at
     * least 200, 400, 800 and 1,600 ms leave room for 5 attempts in 3 s, plus one per pool connection that
     * was connecting when the outage began.
     */
    static final int MAX_ATTEMPTS_DURING_OUTAGE = 5 + POOL;

    private static PgCluster cluster;
    private static TcpProxy proxy;
    private static Database db;

    @BeforeAll
    static void start() {
        cluster = PgCluster.start();
        proxy = TcpProxy.start(cluster.port(), TcpProxy.Mode.FORWARD);
        db = Database.open(FaultSetup.throughProxy(cluster, proxy, "faults-short-outage")
                .minSize(2)
                .maxSize(POOL)
                .checkoutTimeout(CHECKOUT_TIMEOUT)
                .connectTimeout(Duration.ofSeconds(2))
                .build());
    }

    @AfterAll
    static void stop() {
        FaultSetup.closeAll(db, proxy, cluster);
    }

    @Test
    void proxyRefusesForThreeSeconds() throws InterruptedException {
        Load load = Load.start(db, THREADS);
        Thread.sleep(1_000);
        int attemptsBefore = proxy.connectionAttempts();
        long faultStart = System.nanoTime();
        proxy.refuse();
        proxy.cut();
        Thread.sleep(OUTAGE.toMillis());
        int attemptsDuring = proxy.connectionAttempts() - attemptsBefore;
        proxy.forward();
        long faultEnd = System.nanoTime();
        load.awaitSuccessAfter(faultEnd, CHECKOUT_TIMEOUT.plusSeconds(5));
        Thread.sleep(500);
        load.stop();
        load.print("proxy refuses " + OUTAGE.toMillis() + " ms", faultStart, attemptsDuring, db);
        assertThat(load.checkoutErrors).as("failed checkouts during an outage shorter than the checkout timeout")
                .isEmpty();
        assertThat(load.statementErrorCount()).as("statements that failed: at most one per connection open at the cut")
                .isLessThanOrEqualTo(POOL);
        assertThat(attemptsDuring).as("connect attempts during the outage (back-off)")
                .isLessThanOrEqualTo(MAX_ATTEMPTS_DURING_OUTAGE);
        assertThat(load.allMapped()).as("every failure is mapped: " + load.statementErrors).isTrue();
    }

    @Test
    void realFastRestart() throws InterruptedException {
        Load load = Load.start(db, THREADS);
        Thread.sleep(1_000);
        long faultStart = System.nanoTime();
        cluster.restartFast();
        long faultEnd = System.nanoTime();
        load.awaitSuccessAfter(faultEnd, CHECKOUT_TIMEOUT.plusSeconds(5));
        Thread.sleep(500);
        load.stop();
        load.print("fast restart (" + (faultEnd - faultStart) / 1_000_000 + " ms)", faultStart, -1, db);
        assertThat(load.checkoutErrors).as("failed checkouts during a restart shorter than the checkout timeout")
                .isEmpty();
        assertThat(load.statementErrorCount()).as("statements that failed: at most one per connection open at the restart")
                .isLessThanOrEqualTo(POOL);
        assertThat(load.allMapped()).as("every failure is mapped: " + load.statementErrors).isTrue();
    }

    /** Threads opening sessions in a loop; failures of the checkout and of the statement counted apart. */
    static final class Load {
        final Map<String, Integer> checkoutErrors = new ConcurrentHashMap<>();
        final Map<String, Integer> statementErrors = new ConcurrentHashMap<>();
        final List<Class<?>> errorTypes = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong ok = new AtomicLong();
        final AtomicLong lastSuccessStart = new AtomicLong();
        final AtomicLong longestCheckoutNanos = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean running = true;

        static Load start(Database db, int n) {
            Load load = new Load();
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> load.loop(db), "outage-" + i);
                t.setDaemon(true);
                load.threads.add(t);
                t.start();
            }
            return load;
        }

        private void loop(Database db) {
            while (running) {
                long start = System.nanoTime();
                Session session;
                try {
                    session = db.openSession();
                } catch (RuntimeException e) {
                    checkoutErrors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    errorTypes.add(e.getClass());
                    Workload.pause(20);
                    continue;
                }
                longestCheckoutNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                try (session) {
                    session.queryOne("SELECT 1", rs -> 1);
                    ok.incrementAndGet();
                    lastSuccessStart.accumulateAndGet(start, Math::max);
                } catch (RuntimeException e) {
                    statementErrors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    errorTypes.add(e.getClass());
                    Workload.pause(20);
                }
            }
        }

        void awaitSuccessAfter(long nanos, Duration bound) throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            while (lastSuccessStart.get() < nanos && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(CHECKOUT_TIMEOUT.plusSeconds(5).toMillis());
            }
            assertThat(threads).as("load threads ended").noneMatch(Thread::isAlive);
        }

        int statementErrorCount() {
            return statementErrors.values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean allMapped() {
            return errorTypes.stream().allMatch(db.api.DataAccessException.class::isAssignableFrom);
        }

        void print(String fault, long faultStart, int attempts, Database db) {
            System.out.printf("[faults] %-28s sessions ok %6d | failed checkouts %s | failed statements %s | longest "
                            + "checkout %d ms (timeout %d ms) | connect attempts during the outage %s | stats %s%n",
                    fault, ok.get(), new TreeMap<>(checkoutErrors), new TreeMap<>(statementErrors),
                    longestCheckoutNanos.get() / 1_000_000, CHECKOUT_TIMEOUT.toMillis(),
                    attempts < 0 ? "n/a" : attempts + " (bound " + MAX_ATTEMPTS_DURING_OUTAGE + ")", db.stats());
        }
    }
}
