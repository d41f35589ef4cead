package db.pool.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.core.standalone.StandaloneContext;
import db.api.DbConfig;
import db.api.spi.ConnectionPool;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool controls of the SPI on HikariCP: discard, evict all, resize, the one deadline. */
class HikariControlsTest {
    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestDatabase.get().createSchema("hikaricontrols");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private static DbConfig.Builder config(String app) {
        return HikariTestSupport.config(schema, app);
    }

    private static ConnectionPool start(DbConfig config) {
        return new HikariSessionProvider().start(StandaloneContext.of(config));
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean alive(int pid) {
        try (Connection c = schema.database().connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void aDiscardedConnectionIsClosedAndItsSlotFreed() throws Exception {
        try (ConnectionPool pool = start(config("sbtest-hk-discard").minSize(1).maxSize(1).build())) {
            Connection c = pool.borrow();
            int first = pid(c);
            pool.discard(c);
            assertThat(eventually(() -> !alive(first))).as("backend %s closed", first).isTrue();
            try (Connection next = pool.borrow(System.nanoTime() + Duration.ofSeconds(5).toNanos())) {
                assertThat(pid(next)).isNotEqualTo(first);
            }
            pool.discard(c); // already gone: ignored
            assertThat(pool.counters().busy()).isZero();
        }
    }

    @Test
    void evictAllRetiresIdleConnectionsNowAndLentOnesOnReturn() throws Exception {
        try (ConnectionPool pool = start(config("sbtest-hk-evict").minSize(2).maxSize(2).build())) {
            Connection lent = pool.borrow();
            int lentPid = pid(lent);
            Connection other = pool.borrow();
            int idlePid = pid(other);
            other.close();
            pool.evictAll();
            assertThat(eventually(() -> !alive(idlePid))).isTrue();
            assertThat(alive(lentPid)).as("a lent connection keeps working").isTrue();
            lent.close();
            assertThat(eventually(() -> !alive(lentPid))).isTrue();
            try (Connection fresh = pool.borrow()) {
                assertThat(pid(fresh)).isNotIn(lentPid, idlePid);
            }
        }
    }

    @Test
    void resizeGrowsAndShrinksTheBounds() throws Exception {
        try (ConnectionPool pool = start(config("sbtest-hk-resize").minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofMillis(300)).build())) {
            List<Connection> held = new ArrayList<>();
            held.add(pool.borrow());
            pool.resize(1, 3);
            held.add(pool.borrow());
            held.add(pool.borrow());
            assertThat(pool.counters().max()).isEqualTo(3);
            assertThat(pool.counters().busy()).isEqualTo(3);
            for (Connection c : held) {
                c.close();
            }
            pool.resize(1, 1);
            assertThat(eventually(() -> pool.counters().total() <= 1)).as("%s", pool.counters()).isTrue();
            try (Connection only = pool.borrow()) {
                long start = System.nanoTime();
                assertThatThrownBy(pool::borrow).isInstanceOf(db.api.PoolExhaustedException.class);
                assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 3_000L);
                assertThat(only.isValid(1)).isTrue();
            }
            assertThatThrownBy(() -> pool.resize(2, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aDeadlineInThePastStillTriesOnceAndThenGivesUpAtOnce() throws Exception {
        try (ConnectionPool pool = start(config("sbtest-hk-deadline").minSize(1).maxSize(1).build());
             Connection only = pool.borrow()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.borrow(System.nanoTime() - 1_000_000))
                    .isInstanceOf(db.api.PoolExhaustedException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
            assertThat(only.isValid(1)).isTrue();
        }
    }
}
