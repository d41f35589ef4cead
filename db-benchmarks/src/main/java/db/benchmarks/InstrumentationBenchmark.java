package db.benchmarks;

import db.api.Database;
import db.api.DbConfig;
import db.api.Session;
import db.benchmarks.support.DroppingSdk;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Instrumentation overhead: the {@link QueryBenchmark#switchboardQueryOne} round trip with no
 * instrumenter, with {@code db-tracing-otel} on a no-op {@link OpenTelemetry}, and with it on the SDK
 * (every span sampled and ended, then counted and dropped; metrics aggregated in memory, never exported).
 * Not {@code final}: JMH generates a subclass.
 */
public class InstrumentationBenchmark extends MicrosecondBenchmark {

    /** db-tracing-otel handed a no-op OpenTelemetry: the cost of the hooks themselves. */
    @State(Scope.Benchmark)
    public static class OtelNoop {
        Database db;

        @Setup(Level.Trial)
        public void open() {
            // A no-op OpenTelemetry shows nothing, so check on a throwaway SDK that the instrumenter is real.
            OtelSdk probe = new OtelSdk();
            probe.open();
            probe.db.close();
            probe.sdk.close();
            db = openTraced(OpenTelemetry.noop(), "bench-otel-noop");
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    /** db-tracing-otel on the OpenTelemetry SDK, spans recorded and discarded. */
    @State(Scope.Benchmark)
    public static class OtelSdk {
        final LongAdder endedSpans = new LongAdder();
        OpenTelemetrySdk sdk;
        Database db;

        @Setup(Level.Trial)
        public void open() {
            sdk = DroppingSdk.create(endedSpans);
            db = openTraced(sdk, "bench-otel-sdk");
            // "select 1", not the lookup: JMH does not order this setup after BenchSchema's.
            try (Session session = db.openSession()) {
                session.queryOne("select 1", Jdbc.NAME);
            }
            // A stub instrumenter would make this variant measure nothing; refuse to report such a number.
            if (endedSpans.sum() == 0) {
                db.close();
                throw new IllegalStateException("db-tracing-otel emitted no span for a query: it is not the real "
                        + "instrumenter yet, so there is no overhead to measure");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
            sdk.close();
            System.out.println("OpenTelemetry SDK: " + endedSpans.sum() + " spans ended and dropped");
        }
    }

    static Database openTraced(OpenTelemetry otel, String poolName) {
        DbConfig config = Pools.switchboard(poolName).extension(OpenTelemetry.class, otel).build();
        Database db = Database.open(config);
        if (!db.providers().instrumenters().contains("opentelemetry")) {
            db.close();
            throw new IllegalStateException("db-tracing-otel not discovered: " + db.providers());
        }
        PoolStates.fill(db);
        return db;
    }

    @Benchmark
    public String none(PoolStates.BenchSchema schema, PoolStates.SwitchboardPool pool) {
        return lookup(pool.db);
    }

    @Benchmark
    public String otelNoop(PoolStates.BenchSchema schema, OtelNoop traced) {
        return lookup(traced.db);
    }

    @Benchmark
    public String otelSdk(PoolStates.BenchSchema schema, OtelSdk traced) {
        return lookup(traced.db);
    }

    private static String lookup(Database db) {
        try (Session session = db.openSession()) {
            return session.queryOne(BenchTarget.LOOKUP_SQL, Jdbc.NAME, Jdbc.anyId()).orElseThrow();
        }
    }
}
