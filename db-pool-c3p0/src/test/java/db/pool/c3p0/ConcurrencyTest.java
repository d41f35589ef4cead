package db.pool.c3p0;

import static db.pool.c3p0.PoolTestSupport.backendsUnchecked;
import static db.pool.c3p0.PoolTestSupport.config;
import static db.pool.c3p0.PoolTestSupport.eventually;
import static db.pool.c3p0.PoolTestSupport.selectOne;
import static db.pool.c3p0.PoolTestSupport.uniqueAppName;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.PoolStats;
import db.api.spi.ConnectionPool;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** More threads than connections, for a bounded number of checkouts: nobody fails, nothing is lost. */
class ConcurrencyTest {
    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestDatabase.get().createSchema("concurrency");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void eightThreadsShareFourConnectionsWithoutAFailure() throws Exception {
        String app = uniqueAppName("conc");
        int threads = 8;
        int checkoutsPerThread = 100;
        AtomicInteger ok = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try (ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app).minSize(2).maxSize(4)
                .checkoutTimeout(Duration.ofSeconds(10)).build())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < checkoutsPerThread; i++) {
                        try (Connection c = pool.borrow()) {
                            if (selectOne(c) == 1) {
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
            PoolStats after = pool.stats();
            assertThat(after.busy()).isZero();
            assertThat(after.pending()).isZero();
            assertThat(after.timeouts()).isZero();
            assertThat(after.total()).isBetween(2, 4);
            assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(schema.database(), app)
                    == pool.stats().total())).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }
}
