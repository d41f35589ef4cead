package db.moduletests;

import static db.moduletests.PoolProbe.backends;
import static db.moduletests.PoolProbe.assertServes;
import static db.moduletests.PoolProbe.selectOne;
import static db.moduletests.PoolProbe.uniqueAppName;
import static db.testkit.Conditions.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.api.Database;
import db.api.DuplicateKeyException;
import db.api.PoolClosedException;
import db.api.PoolStats;
import db.api.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pool behaviour, for every session provider: statistics against what the server sees, settings that
 * reach the server, names, and draining on close.
 */
class PoolLifecycleTest {
    @RegisterExtension
    static final PoolSchema pools = new PoolSchema("poollife", "CREATE TABLE person (id int PRIMARY KEY, email text)");

    private static String show(Session s, String setting) {
        return s.queryOne("SHOW " + setting, r -> r.getString(1)).orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void statsMatchWhatTheServerSeesUnderAKnownWorkload(String provider) throws Exception {
        String app = uniqueAppName(provider, "stats");
        try (Database db = Database.open(pools.config(provider, app).minSize(2).maxSize(5).build())) {
            assertThat(eventually(Duration.ofSeconds(5), () -> db.stats().total() == 2)).isTrue();
            PoolStats idle = db.stats();
            assertThat(idle.idle()).isEqualTo(2);
            assertThat(idle.busy()).isZero();
            assertThat(idle.pending()).isZero();
            assertThat(idle.min()).isEqualTo(2);
            assertThat(idle.max()).isEqualTo(5);
            assertThat(idle.poolName()).isEqualTo(app);
            assertThat(eventually(Duration.ofSeconds(5), () -> backends(pools.schema().database(), app) == 2)).isTrue();

            List<Session> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(db.openSession());
            }
            for (Session s : held) {
                assertThat(selectOne(s)).isEqualTo(1);
            }
            PoolStats busy = db.stats();
            assertThat(busy.busy()).isEqualTo(4);
            assertThat(busy.total()).isEqualTo(busy.idle() + busy.busy()).isBetween(4, 5);
            // A pool may still be finishing an acquisition it started; wait for the server to agree.
            assertThat(eventually(Duration.ofSeconds(5), () -> backends(pools.schema().database(), app) == db.stats().total())).isTrue();
            for (Session s : held) {
                s.close();
            }
            PoolStats back = db.stats();
            assertThat(back.busy()).isZero();
            assertThat(back.idle()).isEqualTo(back.total());
            assertThat(eventually(Duration.ofSeconds(5), () -> {
                PoolStats s = db.stats();
                return s.created() == s.total() + s.closed();
            })).as("%s", db.stats()).isTrue();
            assertThat(back.timeouts()).isZero();
            assertThat(back.leaks()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void applicationNameAndStatementTimeoutReachTheServer(String provider) {
        String app = uniqueAppName(provider, "settings");
        try (Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(1)
                .statementTimeout(Duration.ofMillis(1500)).build());
             Session s = db.openSession()) {
            assertThat(show(s, "application_name")).isEqualTo(app);
            assertThat(show(s, "statement_timeout")).isEqualTo("1500ms");
            assertThat(show(s, "search_path")).contains(pools.schema().name());
        }
        try (Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(1).build());
             Session s = db.openSession()) {
            assertThat(show(s, "statement_timeout")).isEqualTo("0");
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void statementsLeftOpenAreClosedWhenTheConnectionGoesBack(String provider) throws Exception {
        String app = uniqueAppName(provider, "leftopen");
        try (Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(1).build())) {
            java.sql.Statement plain;
            java.sql.PreparedStatement prepared;
            try (Session s = db.openSession()) {
                plain = s.connection().createStatement();
                prepared = s.connection().prepareStatement("SELECT 1");
                prepared.executeQuery().next();
                try (java.sql.Statement closedByCaller = s.connection().createStatement()) {
                    closedByCaller.execute("SELECT 1");
                }
            }
            assertThat(plain.isClosed()).isTrue();
            assertThat(prepared.isClosed()).isTrue();
            assertServes(db);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void rowValuesFromTheServersDetailStayOutOfDriverMessages(String provider) {
        String app = uniqueAppName(provider, "detail");
        int id = provider.hashCode() & 0xffff;
        try (Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(1).build());
             Session s = db.openSession()) {
            s.execute("INSERT INTO person VALUES (?, 'alice@example.org')", id);
            Throwable duplicate = catchThrowable(() -> s.execute("INSERT INTO person VALUES (?, 'alice@example.org')", id));
            assertThat(duplicate).isInstanceOf(DuplicateKeyException.class);
            for (Throwable t = duplicate; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("alice@example.org")
                        .doesNotContain("(id)=(" + id + ")");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void closeWaitsForLentConnectionsThenClosesEverything(String provider) throws Exception {
        String app = uniqueAppName(provider, "drain");
        Database db = Database.open(pools.config(provider, app).minSize(2).maxSize(3)
                .property("db.pool.close-timeout", "10s").build());
        Session lent = db.openSession();
        assertThat(selectOne(lent)).isEqualTo(1);
        // c3p0 keeps min-size connections open in all; HikariCP keeps min-size idle ones (here 2 + 1 lent).
        assertThat(eventually(Duration.ofSeconds(5), () -> backends(pools.schema().database(), app) == db.stats().total()
                && db.stats().total() >= 2)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(db::close, TestThreads.THREAD_PER_TASK);
        // Idle connections go at once; the lent one keeps working until it is given back.
        assertThat(eventually(Duration.ofSeconds(5), () -> backends(pools.schema().database(), app) == 1)).isTrue();
        assertThat(selectOne(lent)).isEqualTo(1);
        assertThatThrownBy(db::openSession).isInstanceOf(PoolClosedException.class).hasMessageContaining(app);
        assertThat(closing).isNotDone();

        lent.close();
        closing.get(5, TimeUnit.SECONDS);
        assertThat(eventually(Duration.ofSeconds(5), () -> backends(pools.schema().database(), app) == 0)).isTrue();
        PoolStats after = db.stats();
        assertThat(after.total()).isZero();
        assertThat(after.closed()).isEqualTo(after.created());
        db.close(); // idempotent
        // The pool's threads carry its name; none may outlive it.
        PoolProbe.assertNoThreadLeft(app);
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aConnectionNeverReturnedIsAbortedAfterTheCloseGracePeriod(String provider) {
        String app = uniqueAppName(provider, "abort");
        Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(2)
                .property("db.pool.close-timeout", "500ms").build());
        Session leaked = db.openSession();
        assertThat(selectOne(leaked)).isEqualTo(1);
        long start = System.nanoTime();
        db.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isBetween(400L, 5_000L);
        assertThat(eventually(Duration.ofSeconds(5), () -> backends(pools.schema().database(), app) == 0)).isTrue();
        assertThat(db.stats().closed()).isEqualTo(db.stats().created());
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aCheckoutWaitingWhenThePoolClosesGetsPoolClosedExceptionAndNoStrayInterrupt(String provider)
            throws Exception {
        String app = uniqueAppName(provider, "waitclose");
        Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(3)).property("db.pool.close-timeout", "10s").build());
        Session only = db.openSession();
        CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                db.openSession().close();
                return "got a connection from a closed pool";
            } catch (PoolClosedException e) {
                return Thread.currentThread().isInterrupted() ? "interrupt flag left set" : "ok";
            } catch (RuntimeException e) {
                return "unexpected " + e;
            }
        }, TestThreads.THREAD_PER_TASK);
        assertThat(eventually(Duration.ofSeconds(2), () -> db.stats().pending() == 1)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(db::close, TestThreads.THREAD_PER_TASK);
        // At the latest when its checkout timeout ends, the waiter learns the pool is closed.
        assertThat(waiter.get(3 + 5, TimeUnit.SECONDS)).isEqualTo("ok");
        only.close();
        closing.get(5, TimeUnit.SECONDS);
        assertThat(eventually(Duration.ofSeconds(5), () -> backends(pools.schema().database(), app) == 0)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void twoPoolsWithTheSameNameGetDistinctNamesAndBothWork(String provider) {
        String app = uniqueAppName(provider, "twin");
        // first is closed while second stays open, so it is no try-with-resources resource
        Database first = Database.open(pools.config(provider, app).minSize(1).maxSize(1).build());
        try (Database second = Database.open(pools.config(provider, app).minSize(1).maxSize(1).build())) {
            assertThat(first.stats().poolName()).isEqualTo(app);
            assertThat(second.stats().poolName()).isNotEqualTo(app).startsWith(app);
            try (Session a = first.openSession(); Session b = second.openSession()) {
                assertThat(selectOne(a) + selectOne(b)).isEqualTo(2);
            }
            first.close();
            // A closed pool frees its name.
            try (Database third = Database.open(pools.config(provider, app).minSize(1).maxSize(1).build())) {
                assertThat(third.stats().poolName()).isEqualTo(app);
            }
        } finally {
            first.close();
        }
    }
}
