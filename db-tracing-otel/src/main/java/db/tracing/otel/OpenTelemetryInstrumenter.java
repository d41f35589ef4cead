package db.tracing.otel;

import db.api.DbConfig;
import db.api.spi.Instrumentation;
import db.api.spi.InstrumentationContext;
import db.api.spi.QueryInstrumenter;
import db.tracing.otel.internal.DeferredInstrumentation;
import db.tracing.otel.internal.OtelInstrumentation;
import db.tracing.otel.internal.SqlCommenterInstrumentation;
import db.tracing.otel.internal.TracingOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Emits OpenTelemetry spans and metrics for every statement and the pool, following the stable
 * database semantic conventions for PostgreSQL (span kind CLIENT, {@code db.query.summary} as the
 * span name, {@code db.client.operation.duration}, {@code db.client.connection.*}).
 *
 * <p>The {@code OpenTelemetry} instance is the one handed over with
 * {@code DbConfig.builder().extension(OpenTelemetry.class, sdk)}, else {@link GlobalOpenTelemetry}
 * once the application has registered it (or right away under the OpenTelemetry Java agent): opening
 * a database before the telemetry is set up neither fails nor registers a no-op global in its place.
 * Options are {@code db.*} configuration keys: {@link #QUERY_TEXT}, {@link #REQUIRE_PARENT},
 * {@link #SQL_COMMENTER}, {@link #SLOW_CHECKOUT}, {@link #CHECKOUT_SPANS}, {@link #TRANSACTIONS}. Query parameter values are never
 * recorded.
 */
public final class OpenTelemetryInstrumenter implements QueryInstrumenter {

    /**
     * {@code db.tracing.query-text} (default {@code true}): record {@code db.query.text}. A
     * parameterized statement's text is recorded as is; any other text with every literal replaced
     * by {@code ?}.
     */
    public static final String QUERY_TEXT = "db.tracing.query-text";

    /**
     * {@code db.tracing.require-parent} (default {@code false}): start a statement span only when the
     * calling thread has a current span, so work outside any trace makes no root spans. Metrics are
     * recorded either way.
     */
    public static final String REQUIRE_PARENT = "db.tracing.require-parent";

    /**
     * {@code db.tracing.sqlcommenter} (default {@code false}): append a sqlcommenter
     * {@code traceparent} comment to each statement sent while a span is current, so the server's logs
     * and {@code pg_stat_activity} can be joined to traces. Each comment makes the text unique, which
     * defeats server-side prepared statement reuse; hence off by default.
     */
    public static final String SQL_COMMENTER = "db.tracing.sqlcommenter";

    /**
     * {@code db.tracing.slow-checkout} (default {@code 100ms}; {@code 0} turns it off): when a session
     * waited at least this long for its connection, the first statement's span gets a
     * {@code db.client.connection.slow_checkout} event with the wait and the pool's state at that moment.
     */
    public static final String SLOW_CHECKOUT = "db.tracing.slow-checkout";

    /**
     * {@code db.tracing.checkout-spans} (default {@code false}): also record each slow checkout (see
     * {@link #SLOW_CHECKOUT}) as a short INTERNAL span {@code checkout} covering the wait, under the
     * caller's span.
     */
    public static final String CHECKOUT_SPANS = "db.tracing.checkout-spans";

    /**
     * {@code db.tracing.transactions} (default {@code false}): an INTERNAL span {@code transaction} per
     * {@code inTransaction} (isolation, attempts, an event per retry, outcome) around its statements, and
     * COMMIT and ROLLBACK as CLIENT spans.
     */
    public static final String TRANSACTIONS = "db.tracing.transactions";

    /** How often, at most, to look for a global OpenTelemetry registered after the database opened. */
    private static final Duration GLOBAL_RECHECK = Duration.ofSeconds(1);

    /** Used by {@link java.util.ServiceLoader}. */
    public OpenTelemetryInstrumenter() {
        // stateless: everything lives in the Instrumentation opened per database
    }

    @Override
    public String name() {
        return "opentelemetry";
    }

    @Override
    public Instrumentation open(InstrumentationContext context) {
        DbConfig config = context.config();
        TracingOptions options = new TracingOptions(
                config.booleanProperty(QUERY_TEXT, true),
                config.booleanProperty(REQUIRE_PARENT, false),
                config.booleanProperty(SQL_COMMENTER, false),
                config.durationProperty(SLOW_CHECKOUT, TracingOptions.DEFAULT_SLOW_CHECKOUT),
                config.booleanProperty(CHECKOUT_SPANS, false),
                config.booleanProperty(TRANSACTIONS, false));
        String namespace = OtelInstrumentation.namespace(context.target().database(), config.urlParameters());
        Function<OpenTelemetry, Instrumentation> factory = openTelemetry -> new OtelInstrumentation(openTelemetry,
                options, context.target(), namespace, context.poolName(), context.role(), context.stats());
        Optional<OpenTelemetry> given = config.extension(OpenTelemetry.class);
        Instrumentation instrumentation;
        if (given.isPresent()) {
            instrumentation = factory.apply(given.get());
        } else if (DeferredInstrumentation.globalReady()) {
            instrumentation = factory.apply(GlobalOpenTelemetry.get());
        } else {
            // Never GlobalOpenTelemetry.get() here: it would register a no-op for good (see DeferredInstrumentation).
            instrumentation = new DeferredInstrumentation(factory, GLOBAL_RECHECK);
        }
        // Only wrap when asked, so that by default this instrumentation does not override rewrite().
        return options.sqlCommenter() ? new SqlCommenterInstrumentation(instrumentation) : instrumentation;
    }
}
