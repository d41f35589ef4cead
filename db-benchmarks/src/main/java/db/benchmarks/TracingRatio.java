package db.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Traced ÷ untraced throughput on the real database, measured side by side: {@link InstrumentationBenchmark}'s
 * {@code none} and {@code otelSdk} run alternately, one fork each per round, so that both see the same
 * machine load; prints each round's ratio and the median. Throughput ratio = untraced time ÷ traced time.
 * Usage: {@code java -cp benchmarks.jar db.benchmarks.TracingRatio [rounds] [threads]}.
 */
public final class TracingRatio {

    private TracingRatio() {
    }

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double none = run("none", threads);
            double traced = run("otelSdk", threads);
            double ratio = none / traced;
            ratios.add(ratio);
            System.out.printf("round %d: untraced %.1f us/op, traced %.1f us/op, traced/untraced throughput %.3f%n",
                    round, none, traced, ratio);
        }
        Collections.sort(ratios);
        System.out.printf("threads %d, %d rounds: traced/untraced throughput median %.3f (min %.3f, max %.3f)%n",
                threads, rounds, ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1));
    }

    private static double run(String variant, int threads) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(InstrumentationBenchmark.class.getName() + "\\." + variant + "$")
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .threads(threads)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getScore();
    }
}
