package db.benchmarks;

import db.api.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Checkout/return cycle: borrow a connection and give it back, no statement. Measures the pool plus,
 * for Switchboard, the session wrapper (leak watch, reset bookkeeping, instrumentation branch).
 * Not {@code final}: JMH generates a subclass.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class CheckoutBenchmark {

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
