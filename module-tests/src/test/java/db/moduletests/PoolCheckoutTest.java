package db.moduletests;

import static db.moduletests.PoolProbe.backends;
import static db.moduletests.PoolProbe.killBackends;
import static db.moduletests.PoolProbe.assertServes;
import static db.moduletests.PoolProbe.selectOne;
import static db.moduletests.PoolProbe.uniqueAppName;
import static db.testkit.Conditions.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.PoolExhaustedException;
import db.api.PoolStats;
import db.api.Session;
import db.testkit.TcpProxy;
import db.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pool behaviour, for every session provider: exhaustion, hand-off to a waiter, many threads on few
 * connections, and healing after the backends die under the pool.
 */
class PoolCheckoutTest {
    private record Outcome(long tookMs, Throwable failure) {
    }

    @RegisterExtension
    static final PoolSchema pools = new PoolSchema("poolcheckout");

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aCheckoutBeyondMaxWaitsTheCheckoutTimeoutThenSaysWhy(String provider) throws Exception {
        String app = uniqueAppName(provider, "exhaust");
        Duration checkoutTimeout = Duration.ofMillis(400);
        try (Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(2).checkoutTimeout(checkoutTimeout)
                .build());
             Session first = db.openSession();
             Session second = db.openSession()) {
            CompletableFuture<Outcome> waiter = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try {
                    Session third = db.openSession();
                    long waitedMs = (System.nanoTime() - start) / 1_000_000;
                    third.close();
                    return new Outcome(waitedMs, null);
                } catch (Throwable t) {
                    return new Outcome((System.nanoTime() - start) / 1_000_000, t);
                }
            }, TestThreads.THREAD_PER_TASK);

            // While it waits, the stats show it.
            assertThat(eventually(Duration.ofSeconds(2), () -> db.stats().pending() == 1))
                    .as("pending while waiting: %s", db.stats()).isTrue();
            PoolStats waiting = db.stats();
            assertThat(waiting.busy()).isEqualTo(2);
            assertThat(waiting.total()).isEqualTo(2);
            assertThat(waiting.idle()).isZero();

            Outcome outcome = waiter.get(10, TimeUnit.SECONDS);
            assertThat(outcome.failure()).isInstanceOf(PoolExhaustedException.class);
            assertThat(((PoolExhaustedException) outcome.failure()).isRetryable()).isTrue();
            assertThat(outcome.failure().getMessage()).contains("'" + app + "'").contains("max size 2")
                    .containsPattern("within \\d+ ms");
            assertThat(outcome.tookMs()).isBetween(checkoutTimeout.toMillis() - 20, checkoutTimeout.toMillis() + 1_500);

            PoolStats after = db.stats();
            assertThat(after.timeouts()).isEqualTo(1);
            assertThat(after.pending()).isZero();
            assertThat(after.leaks()).isZero();
            assertThat(selectOne(first) + selectOne(second)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aReturnedConnectionServesTheWaiter(String provider) throws Exception {
        String app = uniqueAppName(provider, "handoff");
        try (Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(5)).build())) {
            Session only = db.openSession();
            CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
                try (Session s = db.openSession()) {
                    return selectOne(s);
                }
            }, TestThreads.THREAD_PER_TASK);
            assertThat(eventually(Duration.ofSeconds(2), () -> db.stats().pending() == 1)).isTrue();
            only.close();
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(db.stats().timeouts()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void eightThreadsShareFourConnectionsWithoutAFailure(String provider) throws Exception {
        String app = uniqueAppName(provider, "conc");
        int threads = 8;
        int checkoutsPerThread = 100;
        AtomicInteger ok = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try (Database db = Database.open(pools.config(provider, app).minSize(2).maxSize(4)
                .checkoutTimeout(Duration.ofSeconds(10)).build())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < checkoutsPerThread; i++) {
                        try (Session s = db.openSession()) {
                            if (selectOne(s) == 1) {
                                ok.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS); // rethrows the first failure of that thread
            }
            assertThat(ok).hasValue(threads * checkoutsPerThread);
            PoolStats after = db.stats();
            assertThat(after.busy()).isZero();
            assertThat(after.pending()).isZero();
            assertThat(after.timeouts()).isZero();
            assertThat(after.total()).isBetween(1, 4);
            // Both pools fill up to the minimum in the background (HikariCP may serve all of this from one).
            assertThat(eventually(Duration.ofSeconds(5), () -> db.stats().total() >= 2)).as("%s", db.stats()).isTrue();
            assertThat(eventually(Duration.ofSeconds(5),
                    () -> backends(pools.schema().database(), app) == db.stats().total())).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void afterEveryBackendIsKilledTheNextCheckoutsWorkWithoutAnError(String provider) throws Exception {
        String app = uniqueAppName(provider, "heal");
        TestDatabase server = pools.schema().database();
        try (Database db = Database.open(pools.config(provider, app).minSize(3).maxSize(4)
                .checkoutTimeout(Duration.ofSeconds(5)).build())) {
            // Fill the pool: every connection has been used once and is idle now.
            PoolProbe.assertServesAtOnce(db, 3);
            assertThat(eventually(Duration.ofSeconds(5), () -> backends(server, app) >= 3)).isTrue();
            long createdBefore = db.stats().created();

            assertThat(killBackends(server, app)).isGreaterThanOrEqualTo(3);
            // A connection the pool was still opening may arrive after the kill: it dies too.
            assertThat(eventually(Duration.ofSeconds(5), () -> killBackends(server, app) == 0
                    && backends(server, app) == 0)).isTrue();
            // Connections given back within the validation window are trusted without a round trip;
            // past it, a checkout validates them first.
            PoolProbe.sleepPastValidationWindow();

            // Every checkout from now on gets a working connection: no exception at all.
            for (int round = 0; round < 10; round++) {
                PoolProbe.assertServesAtOnce(db, 3);
            }
            assertThat(db.stats().created()).as("dead connections were replaced by new ones")
                    .isGreaterThanOrEqualTo(createdBefore + 3);
            assertThat(db.stats().timeouts()).isZero();
            // The dead ones were closed, and counted as closed.
            assertThat(eventually(Duration.ofSeconds(5), () -> {
                PoolStats s = db.stats();
                return s.created() == s.total() + s.closed() && s.closed() >= 3;
            })).as("%s", db.stats()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void afterTheNetworkIsCutTheNextCheckoutsWorkWithoutAnError(String provider) throws Exception {
        String app = uniqueAppName(provider, "cut");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(pools.schema().jdbcUrl(), TcpProxy.Mode.FORWARD);
             Database db = Database.open(pools.config(provider, app).url(proxy.rewrite(pools.schema().jdbcUrl()))
                     .minSize(2).maxSize(2).checkoutTimeout(Duration.ofSeconds(5)).build())) {
            try (Session a = db.openSession(); Session b = db.openSession()) {
                assertThat(selectOne(a) + selectOne(b)).isEqualTo(2);
            }
            proxy.cut(); // like a restart of the server: every socket is gone
            PoolProbe.sleepPastValidationWindow();
            for (int i = 0; i < 10; i++) {
                assertServes(db);
            }
            assertThat(db.stats().total()).isLessThanOrEqualTo(2);
        }
    }
}
