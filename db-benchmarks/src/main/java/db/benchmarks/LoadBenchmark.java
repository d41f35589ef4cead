package db.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side load benchmark: each variant ({@link LoadVariant}) under each load runs in a JVM of its
 * own ({@link LoadWorker}); variants are interleaved (their order rotates from round to round) and the
 * whole set is repeated for several rounds, so slow drifts of a shared machine hit every variant alike.
 * Ratios compare neighbours of one round. Runtime is bounded: every worker has a deadline.
 *
 * <pre>
 * java -cp db-benchmarks/target/benchmarks.jar db.benchmarks.LoadBenchmark [--rounds 3] [--loads 1,4,32,1000v]
 *      [--variants pgjdbc,hikari,c3p0,sb-c3p0,sb-hikari] [--warmup-ms 3000] [--measure-ms 5000]
 *      [--java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java] [--jvm-arg -XX:...]...
 * </pre>
 * The workers' JVM is {@code --java}, else {@code $LOAD_JAVA}, else the machine's Temurin 25 when present,
 * else the JVM running this. {@code -Ddb.bench.url=...} and friends are passed on to the workers.
 */
public final class LoadBenchmark {
    private static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    private LoadBenchmark() {
    }

    /** A variant on a class path: this build's, or another build's given with {@code --baseline}. */
    private record Contender(LoadVariant variant, String tag, String classPath) {
        String label() {
            return tag.isEmpty() ? variant.label : variant.label + " [" + tag + "]";
        }
    }

    private record Result(Contender contender, Load load, int round, Map<String, String> values) {
        /** The value, or NaN when the worker did not print it (a baseline built before it existed). */
        double get(String key) {
            String v = values.get(key);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        List<Load> loads = List.of(new Load(1, false), new Load(4, false), new Load(32, false), new Load(1000, true));
        List<LoadVariant> variants = List.of(LoadVariant.values());
        long warmupMs = 3_000;
        long measureMs = 5_000;
        String java = System.getenv("LOAD_JAVA");
        List<String> jvmArgs = new ArrayList<>();
        String baselineTag = null;
        String baselineJar = null;
        for (int i = 0; i < args.length; i += 2) { // an option, then its value
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--loads" -> loads = parseList(v, Load::parse);
                case "--variants" -> variants = parseList(v, LoadVariant::of);
                case "--warmup-ms" -> warmupMs = Long.parseLong(v);
                case "--measure-ms" -> measureMs = Long.parseLong(v);
                case "--java" -> java = v;
                case "--jvm-arg" -> jvmArgs.add(v);
                case "--baseline" -> {
                    int eq = v.indexOf('=');
                    baselineTag = v.substring(0, eq);
                    baselineJar = v.substring(eq + 1);
                }
                case "--help", "-h" -> {
                    System.out.println("options: --rounds N --loads 1,4,32,1000v --variants "
                            + "pgjdbc,hikari,c3p0,sb-c3p0,sb-hikari --warmup-ms MS --measure-ms MS --java PATH --jvm-arg ARG --baseline TAG=OTHER_BENCHMARKS_JAR");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (java == null) {
            java = Files.isExecutable(Path.of(TEMURIN_25)) ? TEMURIN_25
                    : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
        String classPath = System.getProperty("java.class.path");
        List<Contender> contenders = new ArrayList<>();
        for (LoadVariant v : variants) {
            contenders.add(new Contender(v, "", classPath));
        }
        if (baselineJar != null) {
            // The same Switchboard variants built from another commit (say, before a change), interleaved.
            for (LoadVariant v : variants) {
                if (v == LoadVariant.SWITCHBOARD_C3P0 || v == LoadVariant.SWITCHBOARD_HIKARI) {
                    contenders.add(new Contender(v, baselineTag, baselineJar));
                }
            }
        }
        List<String> forwarded = new ArrayList<>();
        for (String key : List.of("db.bench.url", "db.bench.user", "db.bench.password")) {
            if (System.getProperty(key) != null) {
                forwarded.add("-D" + key + "=" + System.getProperty(key));
            }
        }

        System.out.printf(Locale.ROOT, "# load benchmark %s: %d round(s), loads %s, warm-up %d ms, measured %d ms, "
                        + "workers on %s, %d CPUs, pool of %d connections, operation = borrow + prepared SELECT 1 + return%n",
                Instant.now(), rounds, loads.stream().map(Load::id).toList(), warmupMs, measureMs, java,
                Runtime.getRuntime().availableProcessors(), BenchTarget.POOL_SIZE);
        List<Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Load load : loads) {
                List<Contender> order = applicable(contenders, load);
                // Rotate the order every round: no variant always runs first (cold machine) or last.
                int shift = (round - 1) % Math.max(1, order.size());
                for (int k = 0; k < order.size(); k++) {
                    Contender contender = order.get((k + shift) % order.size());
                    Result r = runWorker(java, jvmArgs, forwarded, contender, load, round, warmupMs, measureMs);
                    results.add(r);
                    System.out.printf(Locale.ROOT, "round %d  %-20s %-34s %,12.0f ops/s  wait mean %9.1f µs  p50 %9.1f  "
                                    + "p99 %10.1f  p99.9 %10.1f µs  client CPU %6.1f µs/op%n", round, load.label(),
                            contender.label(), r.get("throughput"), r.get("waitMeanUs"), r.get("waitP50Us"),
                            r.get("waitP99Us"), r.get("waitP999Us"), r.get("cpuUsPerOp"));
                }
            }
        }
        summarize(results, loads, contenders, rounds, baselineTag);
    }

    private static List<Contender> applicable(List<Contender> contenders, Load load) {
        List<Contender> out = new ArrayList<>();
        for (Contender c : contenders) {
            // A dedicated connection per caller only compares where callers fit into the pool's 8 connections.
            if (c.variant() != LoadVariant.PGJDBC || (!load.virtual() && load.threads() <= BenchTarget.POOL_SIZE)) {
                out.add(c);
            }
        }
        return out;
    }

    private static Result runWorker(String java, List<String> jvmArgs, List<String> forwarded, Contender contender,
                                    Load load, int round, long warmupMs, long measureMs)
            throws IOException, InterruptedException {
        LoadVariant variant = contender.variant();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xms512m");
        command.add("-Xmx512m");
        command.addAll(forwarded);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(contender.classPath());
        command.add(LoadWorker.class.getName());
        command.add(variant.id);
        command.add(load.id());
        command.add(Long.toString(warmupMs));
        command.add(Long.toString(measureMs));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> values = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    values = parse(line);
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(warmupMs + measureMs + 90_000, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
        }
        if (values == null || p.exitValue() != 0) {
            throw new IllegalStateException(contender.label() + " at " + load.id() + " failed (exit "
                    + (p.isAlive() ? "?" : p.exitValue()) + "):\n" + output);
        }
        return new Result(contender, load, round, values);
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : line.substring("RESULT ".length()).split(" ", -1)) {
            int eq = part.indexOf('=');
            values.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return values;
    }

    private static void summarize(List<Result> results, List<Load> loads, List<Contender> contenders, int rounds,
                                  String baselineTag) {
        System.out.println();
        System.out.println("## Medians over " + rounds + " round(s) (checkout wait in µs; client CPU = the worker"
                + " JVM's CPU time per operation, all threads)");
        System.out.println();
        System.out.println("| load | variant | ops/s | wait mean | p50 | p99 | p99.9 | p99 ÷ mean | client CPU µs/op |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Load load : loads) {
            for (Contender c : applicable(contenders, load)) {
                List<Result> rs = results.stream().filter(r -> r.load().equals(load) && r.contender().equals(c)).toList();
                double mean = median(rs, r -> r.get("waitMeanUs"));
                System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %.1f | %.1f | %.1f | %s | %.1f |%n", load.label(),
                        c.label(), median(rs, r -> r.get("throughput")), mean, median(rs, r -> r.get("waitP50Us")),
                        median(rs, r -> r.get("waitP99Us")), median(rs, r -> r.get("waitP999Us")),
                        mean < 1 ? "—" : String.format(Locale.ROOT, "%.1f",
                                median(rs, r -> r.get("waitP99Us") / Math.max(1e-9, r.get("waitMeanUs")))),
                        median(rs, r -> r.get("cpuUsPerOp")));
            }
        }
        System.out.println();
        System.out.println("## Throughput ratios, per round (neighbours of one round), then the median");
        System.out.println();
        Map<String, String[]> ratios = new LinkedHashMap<>();
        ratios.put("Switchboard/HikariCP ÷ raw HikariCP", new String[] {"sb-hikari", "hikari"});
        ratios.put("Switchboard/c3p0 ÷ raw c3p0", new String[] {"sb-c3p0", "c3p0"});
        ratios.put("raw c3p0 ÷ raw HikariCP", new String[] {"c3p0", "hikari"});
        ratios.put("Switchboard/c3p0 ÷ raw HikariCP", new String[] {"sb-c3p0", "hikari"});
        ratios.put("Switchboard/HikariCP ÷ dedicated pgjdbc", new String[] {"sb-hikari", "pgjdbc"});
        ratios.put("Switchboard/c3p0 ÷ dedicated pgjdbc", new String[] {"sb-c3p0", "pgjdbc"});
        if (baselineTag != null) {
            ratios.put("Switchboard/c3p0 ÷ the same [" + baselineTag + "]", new String[] {"sb-c3p0", "sb-c3p0@" + baselineTag});
            ratios.put("Switchboard/HikariCP ÷ the same [" + baselineTag + "]",
                    new String[] {"sb-hikari", "sb-hikari@" + baselineTag});
        }
        printRatios(results, loads, rounds, ratios, "throughput");
        System.out.println();
        System.out.println("## Client CPU per operation ratios (above 1: the first costs more CPU per operation),"
                + " per round, then the median");
        System.out.println();
        // Pools against pools only: a dedicated connection per caller does no checkout at all.
        ratios.values().removeIf(pair -> pair[1].equals(LoadVariant.PGJDBC.id));
        printRatios(results, loads, rounds, ratios, "cpuUsPerOp");
    }

    private static void printRatios(List<Result> results, List<Load> loads, int rounds, Map<String, String[]> ratios,
                                    String metric) {
        System.out.println("| ratio | load | per round | median |");
        System.out.println("|---|---|---|---:|");
        for (Map.Entry<String, String[]> e : ratios.entrySet()) {
            for (Load load : loads) {
                List<Double> perRound = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Result a = find(results, e.getValue()[0], load, round);
                    Result b = find(results, e.getValue()[1], load, round);
                    if (a != null && b != null && !Double.isNaN(a.get(metric) / b.get(metric))) {
                        perRound.add(a.get(metric) / b.get(metric));
                    }
                }
                if (!perRound.isEmpty()) {
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f |%n", e.getKey(), load.label(),
                            String.join(" ", perRound.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList()),
                            medianOf(perRound));
                }
            }
        }
    }

    /** {@code key} is a variant id, with {@code @tag} for a baseline contender. */
    private static Result find(List<Result> results, String key, Load load, int round) {
        int at = key.indexOf('@');
        String id = at < 0 ? key : key.substring(0, at);
        String tag = at < 0 ? "" : key.substring(at + 1);
        for (Result r : results) {
            if (r.contender().variant().id.equals(id) && r.contender().tag().equals(tag) && r.load().equals(load)
                    && r.round() == round) {
                return r;
            }
        }
        return null;
    }

    private static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        List<Double> xs = new ArrayList<>();
        for (Result r : rs) {
            xs.add(f.applyAsDouble(r));
        }
        return medianOf(xs);
    }

    private static double medianOf(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static <T> List<T> parseList(String text, java.util.function.Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (String s : text.split(",", -1)) {
            if (!s.isBlank()) {
                out.add(parser.apply(s.trim()));
            }
        }
        return out;
    }
}
