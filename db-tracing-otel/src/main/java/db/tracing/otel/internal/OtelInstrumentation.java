package db.tracing.otel.internal;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.PoolStats;
import db.api.spi.Instrumentation;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The OpenTelemetry instrumentation of one database: a CLIENT span and a
 * {@code db.client.operation.duration} measurement per statement, and the
 * {@code db.client.connection.*} pool metrics.
 *
 * <p>Attribute choices the conventions ask instrumentations to document:
 * <ul>
 *   <li>{@code db.query.text} is the statement's text as written when it ran with bind parameters
 *       (the values travel separately); any other text, including a prepared statement without a
 *       bind marker, is recorded with every literal replaced by {@code ?}.</li>
 *   <li>{@code db.namespace} is the database name only: the schema in use is not known without a
 *       round trip ({@code search_path} can change at any time), so it is not added.</li>
 *   <li>{@code error.type} is the SQLSTATE when there is one, else the class name of the mapped
 *       Switchboard exception (e.g. {@code db.api.PoolExhaustedException}), else of the driver's
 *       exception.</li>
 *   <li>The recorded exception is the mapped Switchboard exception with its PII-free message; the
 *       driver's message (which can carry row values) is never recorded, not even in the stack
 *       trace, where causes appear by class name only.</li>
 *   <li>{@code db.client.connection.idle.max} is the pool's maximum size (an idle connection may
 *       use any free slot) and {@code db.client.connection.idle.min} its minimum size.</li>
 *   <li>In require-parent mode, statements without a parent span get no span, but are still
 *       measured by {@code db.client.operation.duration}.</li>
 * </ul>
 */
public final class OtelInstrumentation implements Instrumentation {

    /** The instrumentation scope name of the tracer and meter. */
    public static final String SCOPE = "db.tracing.otel";

    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> DB_QUERY_SUMMARY = AttributeKey.stringKey("db.query.summary");
    static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> DB_STORED_PROCEDURE_NAME = AttributeKey.stringKey("db.stored_procedure.name");
    static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
    static final AttributeKey<String> CONNECTION_STATE = AttributeKey.stringKey("db.client.connection.state");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    /** The conventions' bucket advice for every duration histogram here. */
    static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

    private static final String SYSTEM = "postgresql";
    private static final System.Logger LOG = System.getLogger(OtelInstrumentation.class.getName());

    private final TracingOptions options;
    private final Tracer tracer;
    private final SqlInfoCache cache;
    /** db.system.name, db.namespace, server.address, server.port: the same on every span and measurement. */
    private final Attributes base;
    private final Attributes poolAttributes;
    private final Attributes idleAttributes;
    private final Attributes usedAttributes;

    private final DoubleHistogram operationDuration;
    private final LongCounter timeouts;
    private final DoubleHistogram createTime;
    private final DoubleHistogram waitTime;
    private final DoubleHistogram useTime;
    private final BatchCallback poolCallback;

    /**
     * Binds the instrumentation to one database.
     *
     * @param openTelemetry where spans and metrics go
     * @param options       the switches
     * @param target        the database's host, port and name
     * @param poolName      the pool's name
     * @param stats         live pool statistics, read when metrics are collected
     */
    public OtelInstrumentation(OpenTelemetry openTelemetry, TracingOptions options, DatabaseTarget target,
                               String poolName, Supplier<PoolStats> stats) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        Objects.requireNonNull(stats, "stats");
        this.options = Objects.requireNonNull(options, "options");
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.cache = SqlInfoCache.standard();

        AttributesBuilder b = Attributes.builder()
                .put(DB_SYSTEM_NAME, SYSTEM)
                .put(DB_NAMESPACE, target.database())
                .put(SERVER_ADDRESS, target.host());
        if (target.port() != DatabaseTarget.DEFAULT_PORT) {
            b.put(SERVER_PORT, (long) target.port());
        }
        this.base = b.build();
        this.poolAttributes = Attributes.of(POOL_NAME, poolName);
        this.idleAttributes = Attributes.of(POOL_NAME, poolName, CONNECTION_STATE, "idle");
        this.usedAttributes = Attributes.of(POOL_NAME, poolName, CONNECTION_STATE, "used");

        Meter meter = openTelemetry.getMeter(SCOPE);
        this.operationDuration = meter.histogramBuilder("db.client.operation.duration")
                .setUnit("s")
                .setDescription("Duration of database client operations.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        this.timeouts = meter.counterBuilder("db.client.connection.timeouts")
                .setUnit("{timeout}")
                .setDescription("The number of connection timeouts that have occurred trying to obtain a connection "
                        + "from the pool.")
                .build();
        this.createTime = secondsHistogram(meter, "db.client.connection.create_time",
                "The time it took to create a new connection.");
        this.waitTime = secondsHistogram(meter, "db.client.connection.wait_time",
                "The time it took to obtain an open connection from the pool.");
        this.useTime = secondsHistogram(meter, "db.client.connection.use_time",
                "The time between borrowing a connection and returning it to the pool.");

        ObservableLongMeasurement count = connections(meter, "db.client.connection.count",
                "The number of connections that are currently in state described by the state attribute.");
        ObservableLongMeasurement max = connections(meter, "db.client.connection.max",
                "The maximum number of open connections allowed.");
        ObservableLongMeasurement idleMin = connections(meter, "db.client.connection.idle.min",
                "The minimum number of idle open connections allowed.");
        ObservableLongMeasurement idleMax = connections(meter, "db.client.connection.idle.max",
                "The maximum number of idle open connections allowed.");
        ObservableLongMeasurement pending = meter.upDownCounterBuilder("db.client.connection.pending_requests")
                .setUnit("{request}")
                .setDescription("The number of current pending requests for an open connection.")
                .buildObserver();
        // One callback for all pool gauges, so the pool's statistics are read once per collection.
        this.poolCallback = meter.batchCallback(() -> {
            PoolStats s;
            try {
                s = stats.get();
            } catch (RuntimeException e) {
                return; // a closed or broken pool reports nothing rather than failing the collection
            }
            count.record(s.idle(), idleAttributes);
            count.record(s.busy(), usedAttributes);
            max.record(s.max(), poolAttributes);
            idleMin.record(s.min(), poolAttributes);
            idleMax.record(s.max(), poolAttributes);
            pending.record(s.pending(), poolAttributes);
        }, count, max, idleMin, idleMax, pending);
    }

    private static DoubleHistogram secondsHistogram(Meter meter, String name, String description) {
        return meter.histogramBuilder(name)
                .setUnit("s")
                .setDescription(description)
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
    }

    private static ObservableLongMeasurement connections(Meter meter, String name, String description) {
        return meter.upDownCounterBuilder(name).setUnit("{connection}").setDescription(description).buildObserver();
    }

    @Override
    public QueryObservation beforeQuery(QueryContext query) {
        try {
            return start(query);
        } catch (RuntimeException e) {
            // Tracing must never break a query.
            LOG.log(System.Logger.Level.WARNING, "OpenTelemetry instrumentation failed before a query: {0}",
                    e.getClass().getName());
            return QueryObservation.NOOP;
        }
    }

    private QueryObservation start(QueryContext query) {
        SqlInfo info = cache.get(query.sql());
        boolean batch = query.batchSize() >= 2;
        String summary;
        String operation;
        if (batch) {
            summary = info.commonSummary() == null ? "BATCH" : "BATCH " + info.commonSummary();
            operation = info.commonOperation() == null ? "BATCH" : "BATCH " + info.commonOperation();
        } else {
            summary = info.summary();
            operation = info.operationName();
        }
        if (summary != null && summary.length() > SqlAnalyzer.MAX_SUMMARY_LENGTH) {
            summary = "BATCH"; // only a "BATCH " prefix can push a summary past the limit
        }

        AttributesBuilder metricAttributes = base.toBuilder();
        if (operation != null) {
            metricAttributes.put(DB_OPERATION_NAME, operation);
        }
        if (summary != null) {
            metricAttributes.put(DB_QUERY_SUMMARY, summary);
        }
        String procedure = batch ? null : info.procedure();
        if (procedure != null) {
            metricAttributes.put(DB_STORED_PROCEDURE_NAME, procedure);
        }

        Context parent = Context.current();
        Span span = null;
        if (!options.requireParent() || Span.fromContext(parent).getSpanContext().isValid()) {
            SpanBuilder builder = tracer.spanBuilder(summary != null ? summary : SYSTEM)
                    .setSpanKind(SpanKind.CLIENT)
                    .setParent(parent)
                    .setAllAttributes(base);
            if (operation != null) {
                builder.setAttribute(DB_OPERATION_NAME, operation);
            }
            if (summary != null) {
                builder.setAttribute(DB_QUERY_SUMMARY, summary);
            }
            if (procedure != null) {
                builder.setAttribute(DB_STORED_PROCEDURE_NAME, procedure);
            }
            if (options.queryText()) {
                // The conventions: parameterized text as is (values travel separately), other text sanitized.
                // A prepared statement without a single bind marker carries its values inline: sanitize it.
                boolean parameterized = query.parameterized() && info.hasBindMarkers();
                builder.setAttribute(DB_QUERY_TEXT, parameterized ? query.sql() : info.sanitized());
            }
            if (batch) {
                builder.setAttribute(DB_OPERATION_BATCH_SIZE, (long) query.batchSize());
            }
            span = builder.startSpan();
        }
        // Started last, like the span, so that both measure the JDBC call and not the analysis above.
        return new Observation(span, metricAttributes, System.nanoTime());
    }

    @Override
    public void poolEvent(PoolEvent event) {
        try {
            switch (event.kind()) {
                case CHECKOUT:
                    waitTime.record(seconds(event.duration()), poolAttributes);
                    break;
                case RELEASE:
                    useTime.record(seconds(event.duration()), poolAttributes);
                    break;
                case TIMEOUT:
                    timeouts.add(1, poolAttributes);
                    break;
                case CONNECTION_CREATED:
                    createTime.record(seconds(event.duration()), poolAttributes);
                    break;
                default:
                    break; // LEAK: the conventions define no metric; the core logs it
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "OpenTelemetry instrumentation failed on a pool event: {0}",
                    e.getClass().getName());
        }
    }

    @Override
    public void close() {
        poolCallback.close();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** One statement in flight. Ended once, on the executing thread. */
    private final class Observation implements QueryObservation {
        private final Span span;
        private final AttributesBuilder metricAttributes;
        private final long startNanos;
        private boolean ended;

        Observation(Span span, AttributesBuilder metricAttributes, long startNanos) {
            this.span = span;
            this.metricAttributes = metricAttributes;
            this.startNanos = startNanos;
        }

        @Override
        public void end(QueryOutcome outcome) {
            if (ended) {
                return;
            }
            ended = true;
            try {
                finish(outcome);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "OpenTelemetry instrumentation failed after a query: {0}",
                        e.getClass().getName());
            }
        }

        private void finish(QueryOutcome outcome) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            if (outcome != null && (outcome.error() != null || outcome.mapped() != null)) {
                String sqlState = outcome.sqlState();
                String errorType = sqlState != null ? sqlState : errorClass(outcome);
                if (sqlState != null) {
                    metricAttributes.put(DB_RESPONSE_STATUS_CODE, sqlState);
                }
                metricAttributes.put(ERROR_TYPE, errorType);
                if (span != null) {
                    if (sqlState != null) {
                        span.setAttribute(DB_RESPONSE_STATUS_CODE, sqlState);
                    }
                    span.setAttribute(ERROR_TYPE, errorType);
                    span.setStatus(StatusCode.ERROR);
                    span.addEvent("exception", SafeExceptions.eventAttributes(outcome.mapped(), outcome.error()));
                }
            }
            operationDuration.record(elapsed, metricAttributes.build());
            if (span != null) {
                span.end();
            }
        }

        private String errorClass(QueryOutcome outcome) {
            DataAccessException mapped = outcome.mapped();
            SQLException error = outcome.error();
            return mapped != null ? mapped.getClass().getName() : error.getClass().getName(); // one of them is set
        }
    }
}
