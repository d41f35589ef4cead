package db.benchmarks.stub;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link StubInstrumentationBenchmark} with the GC profiler and prints each instrumentation's own
 * cost per statement (traced minus its untraced floor) in ns and bytes, side by side.
 * Usage: {@code java -cp benchmarks.jar db.benchmarks.stub.CostReport [forks] [iterations]}.
 */
public final class CostReport {

    private CostReport() {
    }

    public static void main(String[] args) throws RunnerException {
        int forks = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Options options = new OptionsBuilder()
                .include(StubInstrumentationBenchmark.class.getName() + "\\.")
                .forks(forks)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(2))
                .threads(1)
                .addProfiler("gc")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> byVariant = new LinkedHashMap<>();
        for (RunResult run : results) {
            String name = run.getParams().getBenchmark();
            String variant = name.substring(name.lastIndexOf('.') + 1);
            Result<?> time = run.getPrimaryResult();
            Result<?> bytes = run.getSecondaryResults().get("gc.alloc.rate.norm");
            byVariant.put(variant, new double[] {time.getScore(), time.getScoreError(),
                bytes == null ? Double.NaN : bytes.getScore()});
        }
        System.out.println();
        System.out.println("Per statement (prepare, bind, execute, read one row, close) on the stub driver, 1 thread:");
        System.out.printf("%-22s %12s %10s %12s%n", "variant", "ns/op", "± (99.9%)", "bytes/op");
        for (Map.Entry<String, double[]> e : byVariant.entrySet()) {
            double[] v = e.getValue();
            System.out.printf("%-22s %12.1f %10.1f %12.0f%n", e.getKey(), v[0], v[1], v[2]);
        }
        double[] raw = byVariant.get("rawStub");
        double[] peer = byVariant.get("otelJdbc");
        double[] untraced = byVariant.get("switchboardUntraced");
        double[] traced = byVariant.get("switchboardTraced");
        if (raw == null || peer == null || untraced == null || traced == null) {
            System.out.println("a variant is missing: no comparison");
            return;
        }
        double peerNs = peer[0] - raw[0];
        double peerBytes = peer[2] - raw[2];
        double ownNs = traced[0] - untraced[0];
        double ownBytes = traced[2] - untraced[2];
        System.out.println();
        System.out.println("Instrumentation's own cost per statement (traced minus its untraced floor):");
        System.out.printf("  opentelemetry-jdbc : %8.1f ns %8.0f bytes%n", peerNs, peerBytes);
        System.out.printf("  db-tracing-otel    : %8.1f ns %8.0f bytes%n", ownNs, ownBytes);
        System.out.printf("  ratio (Switchboard / opentelemetry-jdbc): time %.2f, allocation %.2f%n",
                ownNs / peerNs, ownBytes / peerBytes);
    }
}
