package db.benchmarks;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariDataSource;
import db.api.Database;
import db.api.Session;
import db.benchmarks.support.NoInstrumenters;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One variant under one load, in a JVM of its own (started by {@link LoadBenchmark}): opens the pool,
 * runs the callers back to back through a warm-up and a measured window, and prints one {@code RESULT}
 * line. Each operation takes a connection, runs a prepared {@code SELECT 1}, reads the row and gives the
 * connection back; the checkout wait is the time from asking for the connection to having it.
 *
 * <p>Usage: {@code LoadWorker <variant> <load> <warmupMs> <measureMs>}; a load is {@code 4} (platform
 * threads) or {@code 1000v} (virtual threads, JDK 21+).
 */
public final class LoadWorker {
    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private static volatile int phase = WARMUP;

    private LoadWorker() {
    }

    /** What one caller does per operation; returns the checkout wait in nanoseconds. */
    @FunctionalInterface
    private interface Operation {
        long run() throws SQLException;
    }

    /** Samples of one caller, kept in plain arrays so recording allocates (almost) nothing. */
    private static final class Recorder {
        long[] waits = new long[4096];
        long[] ops = new long[4096];
        int n;

        void record(long waitNanos, long opNanos) {
            if (n == waits.length) {
                waits = Arrays.copyOf(waits, n * 2);
                ops = Arrays.copyOf(ops, n * 2);
            }
            waits[n] = waitNanos;
            ops[n] = opNanos;
            n++;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LoadWorker <variant> <load> <warmupMs> <measureMs>");
            System.exit(64);
        }
        LoadVariant variant = LoadVariant.of(args[0]);
        Load load = Load.parse(args[1]);
        long warmupMs = Long.parseLong(args[2]);
        long measureMs = Long.parseLong(args[3]);
        // Bounded: whatever happens, this JVM ends (the launcher also kills it after its own deadline).
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(warmupMs + measureMs + 60_000);
                System.err.println("LoadWorker: still running past its deadline; exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        AutoCloseable pool = null;
        DataSource ds = null;
        Database db = null;
        switch (variant) {
            case HIKARI -> {
                HikariDataSource hikari = Pools.hikari();
                ds = hikari;
                pool = hikari;
            }
            case C3P0 -> {
                ComboPooledDataSource c3p0 = Pools.c3p0LikeSwitchboard();
                ds = c3p0;
                pool = c3p0;
            }
            case SWITCHBOARD_C3P0 -> {
                db = NoInstrumenters.open(Pools.switchboard("load-switchboard", "c3p0").build());
                pool = db;
            }
            case SWITCHBOARD_HIKARI -> {
                db = NoInstrumenters.open(Pools.switchboard("load-switchboard", "hikari").build());
                pool = db;
            }
            default -> {
                // PGJDBC: each caller connects on its own (see operation)
            }
        }
        if (ds != null) {
            Pools.fill(ds);
        }
        if (db != null) {
            PoolStates.fill(db);
        }

        List<Recorder> recorders = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        List<Connection> dedicated = new ArrayList<>();
        for (int i = 0; i < load.threads(); i++) {
            recorders.add(new Recorder());
            operations.add(operation(variant, ds, db, dedicated));
        }

        ExecutorService callers = load.virtual() ? virtualThreads() : Executors.newFixedThreadPool(load.threads());
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < load.threads(); i++) {
            Recorder recorder = recorders.get(i);
            Operation operation = operations.get(i);
            running.add(callers.submit(() -> {
                runCaller(operation, recorder);
                return null;
            }));
        }
        Thread.sleep(warmupMs);
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        phase = MEASURE;
        Thread.sleep(measureMs);
        phase = STOP;
        long end = System.nanoTime();
        long cpu = processCpuNanos() - cpuStart;
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        callers.shutdown();
        for (Connection c : dedicated) {
            c.close();
        }
        if (pool != null) {
            pool.close();
        }
        print(variant, load, recorders, (end - start) / 1e9, cpu);
        System.exit(0);
    }

    private static Operation operation(LoadVariant variant, DataSource ds, Database db, List<Connection> dedicated)
            throws SQLException {
        switch (variant) {
            case PGJDBC -> {
                Connection own = BenchTarget.connect();
                dedicated.add(own);
                return () -> {
                    selectOne(own);
                    return 0L;
                };
            }
            case SWITCHBOARD_C3P0, SWITCHBOARD_HIKARI -> {
                return () -> {
                    long t0 = System.nanoTime();
                    Session s = db.openSession();
                    long wait = System.nanoTime() - t0;
                    try {
                        selectOne(s.connection());
                    } finally {
                        s.close();
                    }
                    return wait;
                };
            }
            default -> {
                return () -> {
                    long t0 = System.nanoTime();
                    Connection c = ds.getConnection();
                    long wait = System.nanoTime() - t0;
                    try {
                        selectOne(c);
                    } finally {
                        c.close();
                    }
                    return wait;
                };
            }
        }
    }

    private static void runCaller(Operation operation, Recorder recorder) throws SQLException {
        while (true) {
            int p = phase;
            if (p == STOP) {
                return;
            }
            long t0 = System.nanoTime();
            long wait = operation.run();
            long took = System.nanoTime() - t0;
            if (p == MEASURE && phase == MEASURE) {
                recorder.record(wait, took);
            }
        }
    }

    private static void selectOne(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getInt(1) != 1) {
                throw new IllegalStateException("SELECT 1 did not return 1");
            }
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up at run time: the code is compiled for Java 17. */
    private static ExecutorService virtualThreads() {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or later; this is " + Runtime.version(), e);
        }
    }

    /**
     * CPU time of this JVM (all its threads), or -1 where the platform does not tell. Per operation it shows
     * what the client side costs even when other processes share the cores, where throughput does not.
     */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sunOs ? sunOs.getProcessCpuTime() : -1;
    }

    private static void print(LoadVariant variant, Load load, List<Recorder> recorders, double seconds,
                              long cpuNanos) {
        int total = 0;
        for (Recorder r : recorders) {
            total += r.n;
        }
        long[] waits = new long[total];
        long[] ops = new long[total];
        int at = 0;
        double waitSum = 0;
        for (Recorder r : recorders) {
            System.arraycopy(r.waits, 0, waits, at, r.n);
            System.arraycopy(r.ops, 0, ops, at, r.n);
            for (int i = 0; i < r.n; i++) {
                waitSum += r.waits[i];
            }
            at += r.n;
        }
        Arrays.sort(waits);
        Arrays.sort(ops);
        System.out.println(String.format(Locale.ROOT,
                "RESULT variant=%s load=%s ops=%d seconds=%.3f throughput=%.1f waitMeanUs=%.2f waitP50Us=%.2f "
                        + "waitP99Us=%.2f waitP999Us=%.2f opP50Us=%.2f opP99Us=%.2f opP999Us=%.2f cpuUsPerOp=%.2f jdk=%s",
                variant.id, load.id(), total, seconds, total / seconds, total == 0 ? 0 : waitSum / total / 1e3,
                pct(waits, 0.50), pct(waits, 0.99), pct(waits, 0.999), pct(ops, 0.50), pct(ops, 0.99), pct(ops, 0.999),
                cpuNanos < 0 || total == 0 ? -1.0 : cpuNanos / 1e3 / total, Runtime.version()));
    }

    /** The q-quantile in microseconds (nearest rank). */
    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[idx] / 1e3;
    }
}
