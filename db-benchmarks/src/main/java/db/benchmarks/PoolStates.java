package db.benchmarks;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariDataSource;
import db.api.Database;
import db.api.Session;
import db.benchmarks.support.NoInstrumenters;
import java.beans.PropertyVetoException;
import java.sql.Connection;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One JMH state per pool, so that a benchmark's fork opens only the pool it measures. The state classes
 * are not {@code final}: JMH generates subclasses of them.
 */
public final class PoolStates {
    private PoolStates() {
    }

    /** Switchboard with the c3p0 provider and no instrumenter. */
    @State(Scope.Benchmark)
    public static class SwitchboardPool {
        Database db;

        @Setup(Level.Trial)
        public void open() {
            db = NoInstrumenters.open(Pools.switchboard("bench-switchboard").build());
            fill(db);
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    /** Switchboard with the HikariCP provider and no instrumenter. */
    @State(Scope.Benchmark)
    public static class SwitchboardHikariPool {
        Database db;

        @Setup(Level.Trial)
        public void open() {
            db = NoInstrumenters.open(Pools.switchboard("bench-switchboard-hikari", "hikari").build());
            fill(db);
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    /** Raw c3p0 configured like Switchboard's provider. */
    @State(Scope.Benchmark)
    public static class C3p0Comparable {
        ComboPooledDataSource ds;

        @Setup(Level.Trial)
        public void open() throws PropertyVetoException, SQLException {
            ds = Pools.c3p0LikeSwitchboard();
            Pools.fill(ds);
        }

        @TearDown(Level.Trial)
        public void close() {
            ds.close();
        }
    }

    /** Raw c3p0 like Switchboard's provider but with c3p0's own test on every checkout. */
    @State(Scope.Benchmark)
    public static class C3p0TestOnCheckout {
        ComboPooledDataSource ds;

        @Setup(Level.Trial)
        public void open() throws PropertyVetoException, SQLException {
            ds = Pools.c3p0TestOnCheckout();
            Pools.fill(ds);
        }

        @TearDown(Level.Trial)
        public void close() {
            ds.close();
        }
    }

    /** Raw c3p0 with its defaults. */
    @State(Scope.Benchmark)
    public static class C3p0Defaults {
        ComboPooledDataSource ds;

        @Setup(Level.Trial)
        public void open() throws PropertyVetoException, SQLException {
            ds = Pools.c3p0Defaults();
            Pools.fill(ds);
        }

        @TearDown(Level.Trial)
        public void close() {
            ds.close();
        }
    }

    /** HikariCP at its defaults. */
    @State(Scope.Benchmark)
    public static class Hikari {
        HikariDataSource ds;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            ds = Pools.hikari();
            Pools.fill(ds);
        }

        @TearDown(Level.Trial)
        public void close() {
            ds.close();
        }
    }

    /** One long-lived pgjdbc connection per benchmark thread: the floor, no pool at all. */
    @State(Scope.Thread)
    public static class PlainConnection {
        Connection connection;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            connection = BenchTarget.connect();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** Schema {@code bench} with the lookup table, for the query benchmarks. */
    @State(Scope.Benchmark)
    public static class BenchSchema {
        @Setup(Level.Trial)
        public void create() throws SQLException {
            BenchTarget.createSchema();
        }

        @TearDown(Level.Trial)
        public void drop() throws SQLException {
            BenchTarget.dropSchema();
        }
    }

    /** Holds every session of the pool at once, so it is full before measuring. */
    static void fill(Database db) {
        Session[] held = new Session[BenchTarget.POOL_SIZE];
        try {
            for (int i = 0; i < held.length; i++) {
                held[i] = db.openSession();
            }
        } finally {
            for (Session s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
