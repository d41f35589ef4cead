package db.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings of the benchmarks that measure a pool round trip: average time in microseconds, one
 * fork, 3 × 2 s of warm-up and 5 × 3 s of measurement. JMH's class annotations are inherited, so each of
 * those benchmarks extends this class instead of repeating them, and they cannot drift apart.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public abstract class MicrosecondBenchmark {
}
