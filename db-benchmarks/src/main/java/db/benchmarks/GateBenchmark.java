package db.benchmarks;

import db.core.engine.CheckoutGate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's fair checkout gate alone (no pool, no database): one permit taken and given back. The gate
 * is public in {@code db.core}'s non-exported engine package; the benchmarks run on the class path, where
 * that is enough. With {@code -t 1} this is the uncontended cost every checkout
 * pays; with more threads than permits ({@code -t 4}, 2 permits) waiters queue and hand off.
 * Not {@code final}: JMH generates a subclass.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class GateBenchmark {

    /** A gate of 8 permits, as many as the benchmark pools have connections. */
    @State(Scope.Benchmark)
    public static class EightPermits {
        final CheckoutGate gate = new CheckoutGate("bench", 8, 0);
    }

    /** A gate of 2 permits: with 4 threads, half of them wait. */
    @State(Scope.Benchmark)
    public static class TwoPermits {
        final CheckoutGate gate = new CheckoutGate("bench", 2, 0);
    }

    @Benchmark
    public Object acquireRelease(EightPermits state) throws InterruptedException {
        CheckoutGate.Refusal r = state.gate.acquire(System.nanoTime() + 1_000_000_000L);
        state.gate.release();
        return r;
    }

    @Benchmark
    public Object acquireReleaseContended(TwoPermits state) throws InterruptedException {
        CheckoutGate.Refusal r = state.gate.acquire(System.nanoTime() + 1_000_000_000L);
        state.gate.release();
        return r;
    }
}
