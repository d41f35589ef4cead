package db.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The per-session gate, side by side: JMH's {@link CheckoutBenchmark} with {@code -prof gc} run from this
 * build's jar and from another build's jar, alternately, for several rounds, in one command. Prints, for
 * each benchmark, the median time per session and the median bytes allocated per session of each build,
 * and their ratio. Every JMH run is bounded by its own iteration counts.
 *
 * <pre>
 * java -cp db-benchmarks/target/benchmarks.jar db.benchmarks.CheckoutGate --baseline TAG=OTHER_BENCHMARKS_JAR
 *      [--rounds 3] [--java PATH] [--benchmarks 'CheckoutBenchmark\.(switchboard|switchboardHikari|hikari|c3p0Comparable)$']
 * </pre>
 */
public final class CheckoutGate {
    private static final String DEFAULT_BENCHMARKS =
            "CheckoutBenchmark\\.(switchboard|switchboardHikari|hikari|c3p0Comparable)$";

    private CheckoutGate() {
    }

    /** One benchmark's figures from one JMH run. */
    private record Figures(double timePerOp, String unit, double bytesPerOp) {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = 3;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String benchmarks = DEFAULT_BENCHMARKS;
        String baselineTag = null;
        String baselineJar = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--java" -> java = v;
                case "--benchmarks" -> benchmarks = v;
                case "--baseline" -> {
                    int eq = v == null ? -1 : v.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--baseline takes TAG=OTHER_BENCHMARKS_JAR");
                    }
                    baselineTag = v.substring(0, eq);
                    baselineJar = v.substring(eq + 1);
                }
                case "--help", "-h" -> {
                    System.out.println("options: --baseline TAG=OTHER_BENCHMARKS_JAR --rounds N --java PATH --benchmarks REGEX");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (baselineJar == null || !Files.isRegularFile(Path.of(baselineJar))) {
            throw new IllegalArgumentException("--baseline TAG=JAR is required and JAR must exist: " + baselineJar);
        }
        String thisJar = System.getProperty("java.class.path");
        Map<String, String> jars = new LinkedHashMap<>();
        jars.put("this build", thisJar);
        jars.put(baselineTag, baselineJar);
        System.out.printf(Locale.ROOT, "# checkout gate %s: %d round(s), JMH %s -f 1 -wi 3 -i 3 -w 1s -r 1s -t 1 -prof gc, "
                + "%s, %d CPUs%n", Instant.now(), rounds, benchmarks, java, Runtime.getRuntime().availableProcessors());

        // build -> benchmark -> one figure per round
        Map<String, Map<String, List<Figures>>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(jars.keySet());
            if (round % 2 == 0) {
                // Alternate which build runs first, so neither always meets a cold or a warm machine.
                Collections.reverse(order);
            }
            for (String build : order) {
                Map<String, Figures> run = runJmh(java, jars.get(build), benchmarks);
                for (Map.Entry<String, Figures> e : run.entrySet()) {
                    Figures f = e.getValue();
                    results.computeIfAbsent(build, k -> new LinkedHashMap<>())
                            .computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(f);
                    System.out.printf(Locale.ROOT, "round %d  %-12s %-40s %8.3f %s %8.0f B/op%n", round, build,
                            e.getKey(), f.timePerOp(), f.unit(), f.bytesPerOp());
                }
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "| benchmark | time/session [%s] | time/session [this build] | ratio | B/session [%s] "
                + "| B/session [this build] |%n", baselineTag, baselineTag);
        System.out.println("|---|---:|---:|---:|---:|---:|");
        Map<String, List<Figures>> mine = results.getOrDefault("this build", Map.of());
        Map<String, List<Figures>> base = results.getOrDefault(baselineTag, Map.of());
        for (String benchmark : mine.keySet()) {
            List<Figures> b = base.getOrDefault(benchmark, List.of());
            List<Figures> m = mine.get(benchmark);
            double bt = median(b.stream().mapToDouble(Figures::timePerOp).toArray());
            double mt = median(m.stream().mapToDouble(Figures::timePerOp).toArray());
            System.out.printf(Locale.ROOT, "| %s | %.3f %s | %.3f %s | %.2f | %.0f | %.0f |%n", benchmark, bt,
                    m.get(0).unit(), mt, m.get(0).unit(), mt / bt,
                    median(b.stream().mapToDouble(Figures::bytesPerOp).toArray()),
                    median(m.stream().mapToDouble(Figures::bytesPerOp).toArray()));
        }
    }

    private static Map<String, Figures> runJmh(String java, String jar, String benchmarks)
            throws IOException, InterruptedException {
        Path csv = Files.createTempFile("checkout-gate", ".csv");
        try {
            List<String> command = new ArrayList<>(List.of(java));
            for (String key : List.of("db.bench.url", "db.bench.user", "db.bench.password")) {
                if (System.getProperty(key) != null) {
                    // JMH hands the launcher's -D options to its forks.
                    command.add("-D" + key + "=" + System.getProperty(key));
                }
            }
            command.addAll(List.of("-jar", jar, benchmarks, "-f", "1", "-wi", "3", "-i", "3", "-w", "1s", "-r", "1s",
                    "-t", "1", "-prof", "gc", "-rf", "csv", "-rff", csv.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("JMH did not finish within 15 minutes: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("JMH exited with " + p.exitValue() + ": " + command);
            }
            return parse(Files.readAllLines(csv, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /** JMH's CSV: {@code "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"}. */
    private static Map<String, Figures> parse(List<String> lines) {
        Map<String, Double> time = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, Double> bytes = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            String name = unquote(cells[0]);
            double score = Double.parseDouble(unquote(cells[4]));
            int colon = name.indexOf(':');
            String benchmark = (colon < 0 ? name : name.substring(0, colon)).replace("db.benchmarks.", "");
            if (colon < 0) {
                time.put(benchmark, score);
                units.put(benchmark, unquote(cells[cells.length - 1]));
            } else if (name.endsWith(":gc.alloc.rate.norm")) {
                bytes.put(benchmark, score);
            }
        }
        Map<String, Figures> out = new LinkedHashMap<>();
        time.forEach((benchmark, t) -> out.put(benchmark, new Figures(t, units.get(benchmark), bytes.getOrDefault(benchmark, Double.NaN))));
        return out;
    }

    private static String unquote(String cell) {
        return cell.startsWith("\"") ? cell.substring(1, cell.length() - 1) : cell;
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
