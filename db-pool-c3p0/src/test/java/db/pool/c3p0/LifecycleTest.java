package db.pool.c3p0;

import static db.pool.c3p0.PoolTestSupport.backendsUnchecked;
import static db.pool.c3p0.PoolTestSupport.config;
import static db.pool.c3p0.PoolTestSupport.eventually;
import static db.pool.c3p0.PoolTestSupport.selectOne;
import static db.pool.c3p0.PoolTestSupport.uniqueAppName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.PoolClosedException;
import db.api.PoolStats;
import db.api.spi.ConnectionPool;
import db.api.spi.PoolContext;
import db.api.spi.PoolEvents;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Statistics against what the server sees, draining on close, and names. */
class LifecycleTest {
    private static TestSchema schema;
    private static TestDatabase db;

    @BeforeAll
    static void schema() {
        db = TestDatabase.get();
        schema = db.createSchema("lifecycle");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void statsMatchWhatTheServerSeesUnderAKnownWorkload() throws Exception {
        String app = uniqueAppName("stats");
        List<Duration> connectTimes = new CopyOnWriteArrayList<>();
        PoolEvents events = connectTimes::add;
        try (ConnectionPool pool = new C3p0SessionProvider().start(PoolContext.standalone(config(schema, app)
                .minSize(2).maxSize(5).build(), events))) {
            assertThat(eventually(Duration.ofSeconds(5), () -> pool.stats().total() == 2)).isTrue();
            PoolStats idle = pool.stats();
            assertThat(idle.idle()).isEqualTo(2);
            assertThat(idle.busy()).isZero();
            assertThat(idle.pending()).isZero();
            assertThat(idle.min()).isEqualTo(2);
            assertThat(idle.max()).isEqualTo(5);
            assertThat(idle.poolName()).isEqualTo(pool.name());
            assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 2)).isTrue();

            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(pool.borrow());
            }
            for (Connection c : held) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
            PoolStats busy = pool.stats();
            assertThat(busy.busy()).isEqualTo(4);
            assertThat(busy.total()).isEqualTo(busy.idle() + busy.busy()).isBetween(4, 5);
            // c3p0 may still be finishing an acquisition it started; wait for the server to agree.
            assertThat(eventually(Duration.ofSeconds(5),
                    () -> backendsUnchecked(db, app) == pool.stats().total())).isTrue();
            for (Connection c : held) {
                c.close();
            }
            PoolStats back = pool.stats();
            assertThat(back.busy()).isZero();
            assertThat(back.idle()).isEqualTo(back.total());

            // Every physical connection was reported, with its connect time. (Eventually: c3p0 may still
            // be finishing an acquisition it started when the pool ran out of idle connections.)
            assertThat(eventually(Duration.ofSeconds(5), () -> {
                PoolStats s = pool.stats();
                return s.created() == s.total() + s.closed() && connectTimes.size() == s.created();
            })).as("%s, %s connect times", pool.stats(), connectTimes.size()).isTrue();
            assertThat(connectTimes).allMatch(d -> !d.isNegative() && d.compareTo(Duration.ofSeconds(10)) < 0);
            assertThat(back.timeouts()).isZero();
            assertThat(back.leaks()).isZero();
        }
    }

    @Test
    void closeDrainsIdleAtOnceLentWhenReturnedAndThenRefusesCheckouts() throws Exception {
        String app = uniqueAppName("drain");
        ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app).minSize(3).maxSize(3)
                .property("db.pool.close-timeout", "20s").build());
        assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 3)).isTrue();
        Connection lent = pool.borrow();
        assertThat(Thread.getAllStackTraces().keySet()).as("c3p0's threads are named after the pool")
                .anyMatch(t -> t.getName().contains(app));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        // The idle ones go at once; the lent one stays while it is in use.
        assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 1)).isTrue();
        assertThat(selectOne(lent)).isEqualTo(1);
        assertThatThrownBy(pool::borrow).isInstanceOf(PoolClosedException.class).hasMessageContaining(pool.name());
        assertThat(closing).isNotDone();

        lent.close();
        closing.get(5, TimeUnit.SECONDS);
        // The server drops a backend a moment after its client closed the socket.
        assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 0)).isTrue();
        PoolStats after = pool.stats();
        assertThat(after.total()).isZero();
        assertThat(after.closed()).isEqualTo(after.created());
        pool.close(); // idempotent
        assertThatThrownBy(pool::borrow).isInstanceOf(PoolClosedException.class);
        // c3p0's helper and timer threads carry the pool's name; none may outlive the pool.
        assertThat(eventually(Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().contains(app))))
                .as("threads left: %s", Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(n -> n.contains(app)).toList())
                .isTrue();
    }

    @Test
    void aConnectionNeverReturnedIsAbortedAfterTheCloseGracePeriod() throws Exception {
        String app = uniqueAppName("abort");
        ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app).minSize(1).maxSize(2)
                .property("db.pool.close-timeout", "500ms").build());
        Connection leaked = pool.borrow();
        assertThat(selectOne(leaked)).isEqualTo(1);
        long start = System.nanoTime();
        pool.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isBetween(400L, 5_000L);
        assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 0)).isTrue();
        assertThat(pool.stats().closed()).isEqualTo(pool.stats().created());
    }

    @Test
    void twoPoolsWithTheSameNameGetDistinctNamesAndBothWork() throws Exception {
        String app = uniqueAppName("twin");
        C3p0SessionProvider provider = new C3p0SessionProvider();
        try (ConnectionPool first = provider.start(config(schema, app).minSize(1).maxSize(1).build());
             ConnectionPool second = provider.start(config(schema, app).minSize(1).maxSize(1).build())) {
            assertThat(first.name()).isEqualTo(app);
            assertThat(second.name()).isNotEqualTo(first.name()).startsWith(app);
            try (Connection a = first.borrow(); Connection b = second.borrow()) {
                assertThat(selectOne(a) + selectOne(b)).isEqualTo(2);
            }
            assertThat(first.stats().poolName()).isEqualTo(first.name());
            assertThat(second.stats().poolName()).isEqualTo(second.name());
            first.close();
            // A closed pool frees its name.
            try (ConnectionPool third = provider.start(config(schema, app).minSize(1).maxSize(1).build())) {
                assertThat(third.name()).isEqualTo(app);
            }
        }
    }

    @Test
    void aCheckoutWaitingWhenThePoolClosesGetsPoolClosedExceptionAndNoStrayInterrupt() throws Exception {
        String app = uniqueAppName("waitclose");
        ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(20)).property("db.pool.close-timeout", "5s").build());
        Connection only = pool.borrow();
        CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
            try (Connection ignored = pool.borrow()) {
                return "got a connection from a closed pool";
            } catch (PoolClosedException e) {
                return Thread.currentThread().isInterrupted() ? "interrupt flag left set" : "ok";
            } catch (Exception e) {
                return "unexpected " + e;
            }
        });
        assertThat(eventually(Duration.ofSeconds(2), () -> pool.stats().pending() == 1)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        only.close();
        closing.get(5, TimeUnit.SECONDS);
        assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 0)).isTrue();
    }
}
