package db.pool.c3p0;

import static db.pool.c3p0.PoolTestSupport.config;
import static db.pool.c3p0.PoolTestSupport.eventually;
import static db.pool.c3p0.PoolTestSupport.uniqueAppName;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.PoolExhaustedException;
import db.api.PoolStats;
import db.api.spi.ConnectionPool;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExhaustionTest {
    private record Outcome(long tookMs, Throwable failure) {
    }

    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestDatabase.get().createSchema("exhaustion");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void aCheckoutBeyondMaxWaitsTheCheckoutTimeoutThenSaysWhy() throws Exception {
        String app = uniqueAppName("exhaust");
        Duration checkoutTimeout = Duration.ofMillis(400);
        try (ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app)
                .minSize(1).maxSize(2).checkoutTimeout(checkoutTimeout).build());
             Connection first = pool.borrow();
             Connection second = pool.borrow()) {
            CompletableFuture<Outcome> waiter = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try (Connection ignored = pool.borrow()) {
                    return new Outcome((System.nanoTime() - start) / 1_000_000, null);
                } catch (Throwable t) {
                    return new Outcome((System.nanoTime() - start) / 1_000_000, t);
                }
            });

            // While it waits, the stats show it.
            assertThat(eventually(Duration.ofSeconds(2), () -> pool.stats().pending() == 1))
                    .as("pending while waiting: %s", pool.stats()).isTrue();
            PoolStats waiting = pool.stats();
            assertThat(waiting.busy()).isEqualTo(2);
            assertThat(waiting.total()).isEqualTo(2);
            assertThat(waiting.idle()).isZero();

            Outcome outcome = waiter.get(10, TimeUnit.SECONDS);
            Throwable failure = outcome.failure();
            long tookMs = outcome.tookMs();
            assertThat(failure).isInstanceOf(PoolExhaustedException.class);
            assertThat(((PoolExhaustedException) failure).isRetryable()).isTrue();
            assertThat(failure.getMessage())
                    .contains("'" + pool.name() + "'")
                    .contains("max size 2")
                    .contains("busy 2")
                    .containsPattern("within \\d+ ms");
            assertThat(tookMs).isBetween(checkoutTimeout.toMillis() - 20, checkoutTimeout.toMillis() + 1_500);

            PoolStats after = pool.stats();
            assertThat(after.timeouts()).isEqualTo(1);
            assertThat(after.pending()).isZero();
            assertThat(after.leaks()).isZero();
        }
    }

    @Test
    void aReturnedConnectionServesTheWaiter() throws Exception {
        String app = uniqueAppName("handoff");
        try (ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app)
                .minSize(1).maxSize(1).checkoutTimeout(Duration.ofSeconds(5)).build())) {
            Connection only = pool.borrow();
            CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
                try (Connection c = pool.borrow()) {
                    return PoolTestSupport.selectOne(c);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(eventually(Duration.ofSeconds(2), () -> pool.stats().pending() == 1)).isTrue();
            only.close();
            try {
                assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            } catch (ExecutionException e) {
                throw new AssertionError("the waiter should have got the returned connection", e.getCause());
            }
            assertThat(pool.stats().timeouts()).isZero();
        }
    }
}
