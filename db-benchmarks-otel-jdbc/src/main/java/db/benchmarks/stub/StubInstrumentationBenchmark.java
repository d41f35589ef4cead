package db.benchmarks.stub;

import db.api.Database;
import db.api.DbConfig;
import db.api.Session;
import db.benchmarks.support.DroppingSdk;
import db.benchmarks.support.NoInstrumenters;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The instrumentation's own cost per statement, with no network: one prepared lookup (prepare, bind,
 * execute, read a row, close) on a connection held for the whole trial, over the {@link StubJdbc} driver.
 *
 * <ul>
 *   <li>{@code rawStub}: the stub connection itself, the floor of {@code otelJdbc};</li>
 *   <li>{@code otelJdbc}: the same connection obtained through OpenTelemetry's
 *       {@code JdbcTelemetry.create(sdk).wrap(dataSource)} (library instrumentation, stable database
 *       conventions opted in);</li>
 *   <li>{@code switchboardUntraced}: {@code session.connection()} of a Switchboard database on the stub
 *       provider without any instrumenter, the floor of {@code switchboardTraced};</li>
 *   <li>{@code switchboardTraced}: the same with {@code db-tracing-otel} on the SDK.</li>
 * </ul>
 * Both traced variants use the same SDK: every span sampled, ended, counted and dropped; metrics
 * aggregated by a reader that never exports. Own cost = traced minus its floor, in time and in bytes
 * ({@code -prof gc}, {@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dotel.semconv-stability.opt-in=database", "-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StubInstrumentationBenchmark {

    /** An SDK that records everything and exports nothing. */
    @State(Scope.Benchmark)
    public static class Sdk {
        final LongAdder endedSpans = new LongAdder();
        OpenTelemetrySdk sdk;

        @Setup(Level.Trial)
        public void open() {
            sdk = DroppingSdk.create(endedSpans);
        }

        @TearDown(Level.Trial)
        public void close() {
            sdk.close();
            System.out.println("SDK: " + endedSpans.sum() + " spans ended and dropped");
        }

        void requireSpans(String variant) {
            if (endedSpans.sum() == 0) {
                throw new IllegalStateException(variant + " emitted no span: nothing real to measure");
            }
        }
    }

    /** The raw stub connection. */
    @State(Scope.Thread)
    public static class Raw {
        Connection connection;

        @Setup(Level.Trial)
        public void open() {
            connection = StubJdbc.connection();
        }
    }

    /** A stub connection through opentelemetry-jdbc. */
    @State(Scope.Thread)
    public static class OtelJdbc {
        Connection connection;

        @Setup(Level.Trial)
        public void open(Sdk sdk) throws SQLException {
            connection = JdbcTelemetry.create(sdk.sdk).wrap(StubJdbc.dataSource()).getConnection();
            StubJdbc.lookup(connection, 1);
            sdk.requireSpans("opentelemetry-jdbc");
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** A Switchboard session on the stub provider, no instrumenter. */
    @State(Scope.Thread)
    public static class Untraced {
        Database db;
        Session session;
        Connection connection;

        @Setup(Level.Trial)
        public void open() {
            db = NoInstrumenters.open(config("stub-untraced").build());
            session = db.openSession();
            connection = session.connection();
        }

        @TearDown(Level.Trial)
        public void close() {
            session.close();
            db.close();
        }
    }

    /** A Switchboard session on the stub provider with db-tracing-otel on the SDK. */
    @State(Scope.Thread)
    public static class Traced {
        Database db;
        Session session;
        Connection connection;

        @Setup(Level.Trial)
        public void open(Sdk sdk) throws SQLException {
            db = Database.open(config("stub-traced").extension(OpenTelemetry.class, sdk.sdk).build());
            if (!db.providers().instrumenters().contains("opentelemetry")) {
                throw new IllegalStateException("db-tracing-otel not discovered: " + db.providers());
            }
            session = db.openSession();
            connection = session.connection();
            StubJdbc.lookup(connection, 1);
            sdk.requireSpans("db-tracing-otel");
        }

        @TearDown(Level.Trial)
        public void close() {
            session.close();
            db.close();
        }
    }

    @Benchmark
    public String rawStub(Raw raw) throws SQLException {
        return StubJdbc.lookup(raw.connection, id());
    }

    @Benchmark
    public String otelJdbc(OtelJdbc peer) throws SQLException {
        return StubJdbc.lookup(peer.connection, id());
    }

    @Benchmark
    public String switchboardUntraced(Untraced untraced) throws SQLException {
        return StubJdbc.lookup(untraced.connection, id());
    }

    @Benchmark
    public String switchboardTraced(Traced traced) throws SQLException {
        return StubJdbc.lookup(traced.connection, id());
    }

    private static int id() {
        return ThreadLocalRandom.current().nextInt(1, 101);
    }

    static DbConfig.Builder config(String poolName) {
        return DbConfig.builder().url(StubJdbc.URL).user("postgres").poolName(poolName).minSize(8).maxSize(8);
    }
}
