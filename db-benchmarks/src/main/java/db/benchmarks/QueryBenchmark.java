package db.benchmarks;

import db.api.Session;
import java.sql.Connection;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Query round trip as a repository does it: borrow, one primary-key lookup through a prepared statement,
 * return. {@link #plainJdbc} skips the pool (one connection per thread, kept open) and is the floor.
 * Not {@code final}: JMH generates a subclass.
 */
public class QueryBenchmark extends MicrosecondBenchmark {

    /** The session helper: binds, maps the row, translates errors. */
    @Benchmark
    public String switchboardQueryOne(PoolStates.BenchSchema schema, PoolStates.SwitchboardPool pool) {
        try (Session session = pool.db.openSession()) {
            return session.queryOne(BenchTarget.LOOKUP_SQL, Jdbc.NAME, Jdbc.anyId()).orElseThrow();
        }
    }

    /** Plain JDBC on the session's (wrapped) connection, as a repository written against JDBC does. */
    @Benchmark
    public String switchboardJdbc(PoolStates.BenchSchema schema, PoolStates.SwitchboardPool pool)
            throws SQLException {
        try (Session session = pool.db.openSession()) {
            return Jdbc.lookup(session.connection(), Jdbc.anyId());
        }
    }

    @Benchmark
    public String c3p0Comparable(PoolStates.BenchSchema schema, PoolStates.C3p0Comparable pool) throws SQLException {
        try (Connection c = pool.ds.getConnection()) {
            return Jdbc.lookup(c, Jdbc.anyId());
        }
    }

    @Benchmark
    public String c3p0TestOnCheckout(PoolStates.BenchSchema schema, PoolStates.C3p0TestOnCheckout pool) throws SQLException {
        try (Connection c = pool.ds.getConnection()) {
            return Jdbc.lookup(c, Jdbc.anyId());
        }
    }

    @Benchmark
    public String hikari(PoolStates.BenchSchema schema, PoolStates.Hikari pool) throws SQLException {
        try (Connection c = pool.ds.getConnection()) {
            return Jdbc.lookup(c, Jdbc.anyId());
        }
    }

    @Benchmark
    public String plainJdbc(PoolStates.BenchSchema schema, PoolStates.PlainConnection plain) throws SQLException {
        return Jdbc.lookup(plain.connection, Jdbc.anyId());
    }
}
