package db.benchmarks;

import db.api.Session;
import java.sql.Connection;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Checkout/return cycle: borrow a connection and give it back, no statement. Measures the pool plus,
 * for Switchboard, the session wrapper (leak watch, reset bookkeeping, instrumentation branch).
 * Not {@code final}: JMH generates a subclass.
 */
public class CheckoutBenchmark extends MicrosecondBenchmark {

    @Benchmark
    public void switchboard(PoolStates.SwitchboardPool pool) {
        Session session = pool.db.openSession();
        session.close();
    }

    @Benchmark
    public void switchboardHikari(PoolStates.SwitchboardHikariPool pool) {
        Session session = pool.db.openSession();
        session.close();
    }

    @Benchmark
    public void c3p0Comparable(PoolStates.C3p0Comparable pool) throws SQLException {
        Connection c = pool.ds.getConnection();
        c.close();
    }

    @Benchmark
    public void c3p0TestOnCheckout(PoolStates.C3p0TestOnCheckout pool) throws SQLException {
        Connection c = pool.ds.getConnection();
        c.close();
    }

    @Benchmark
    public void c3p0Defaults(PoolStates.C3p0Defaults pool) throws SQLException {
        Connection c = pool.ds.getConnection();
        c.close();
    }

    @Benchmark
    public void hikari(PoolStates.Hikari pool) throws SQLException {
        Connection c = pool.ds.getConnection();
        c.close();
    }
}
