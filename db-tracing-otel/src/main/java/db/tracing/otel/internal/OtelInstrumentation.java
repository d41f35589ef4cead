package db.tracing.otel.internal;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.Isolation;
import db.api.PoolStats;
import db.api.PoolStatus;
import db.api.spi.Instrumentation;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import db.core.support.SqlTextCache;
import db.api.spi.TransactionContext;
import db.api.spi.TransactionObservation;
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
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   <li>{@code db.namespace} is {@code {database}|{schema}} when the connection URL fixes the schema
 *       ({@code currentSchema}, or {@code options=-c search_path=...}), else the database name: a
 *       later {@code SET search_path} is not seen (that would cost a round trip).</li>
 *   <li>{@code db.operation.name} is not recorded: the conventions say it SHOULD NOT be extracted from
 *       the text for SQL, and JDBC offers no other source. {@code db.query.summary} is parsed from the
 *       text and keeps the keywords as the application wrote them.</li>
 *   <li>A batch of statements identical once sanitized records that text once; an empty batch is named
 *       {@code BATCH} with {@code db.operation.batch.size} 0.</li>
 *   <li>{@code error.type} is the SQLSTATE when there is one, else the class name of the exception
 *       the caller receives.</li>
 *   <li>The recorded exception ({@code exception.type}) is the one the caller receives: the mapped
 *       Switchboard exception with its PII-free message through the session's helpers and
 *       {@code inTransaction}, the driver's {@code SQLException} through {@code connection()}. The
 *       driver's message (which can carry row values) is never recorded, not even in the stack trace,
 *       where causes appear by class name only.</li>
 *   <li>{@code db.client.connection.idle.max} is the pool's maximum size (an idle connection may
 *       use any free slot) and {@code db.client.connection.idle.min} its minimum size.</li>
 *   <li>In require-parent mode, statements without a parent span get no span, but are still
 *       measured by {@code db.client.operation.duration}.</li>
 *   <li>{@code server.address} and {@code server.port} are those of the host the statement's connection
 *       is on ({@link QueryContext#server()}): with a multi-host URL, the one the driver connected to, so
 *       after a failover they name the new primary. So do COMMIT and ROLLBACK. The transaction span starts
 *       before a connection is borrowed, with the pool's configured (first) host, and is moved to the host
 *       of each COMMIT or ROLLBACK it sends: once ended it names the host of its last attempt (then
 *       {@code server.port} is set even when it is 5432, since an attribute cannot be removed). It also
 *       carries the pool's {@code db.client.connection.pool.name} and {@code switchboard.pool.role}: a
 *       read-only transaction on a standby is reported by that standby pool's instrumentation.</li>
 *   <li>The pool metrics carry {@code switchboard.pool.role} ({@code primary} or {@code replica}) next to
 *       {@code db.client.connection.pool.name}: the conventions define no role, and advise against adding
 *       names of one's own to their namespaces ({@code db.client.connection.*}), where a later version
 *       could define the same name differently; Switchboard's own pool attributes are
 *       {@code switchboard.pool.*}.</li>
 * </ul>
 */
public final class OtelInstrumentation implements Instrumentation {

    /** The instrumentation scope name of the tracer and meter. */
    public static final String SCOPE = "db.tracing.otel";

    /** The semantic conventions version followed, as the scope's schema URL. */
    public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.44.0";

    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> DB_QUERY_SUMMARY = AttributeKey.stringKey("db.query.summary");
    static final AttributeKey<String> DB_STORED_PROCEDURE_NAME = AttributeKey.stringKey("db.stored_procedure.name");
    static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
    /** Which pool of a database: the primary's or a standby's (Switchboard's own: see the class comment). */
    static final AttributeKey<String> POOL_ROLE = AttributeKey.stringKey("switchboard.pool.role");
    static final AttributeKey<String> CONNECTION_STATE = AttributeKey.stringKey("db.client.connection.state");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
    /** Switchboard's own attributes of a slow checkout (the conventions define none). */
    static final AttributeKey<Double> CHECKOUT_WAIT = AttributeKey.doubleKey("switchboard.checkout.wait");
    static final AttributeKey<Long> POOL_TOTAL = AttributeKey.longKey("switchboard.pool.total");
    static final AttributeKey<Long> POOL_IDLE = AttributeKey.longKey("switchboard.pool.idle");
    static final AttributeKey<Long> POOL_BUSY = AttributeKey.longKey("switchboard.pool.busy");
    static final AttributeKey<Long> POOL_PENDING = AttributeKey.longKey("switchboard.pool.pending");
    static final AttributeKey<Long> POOL_MAX = AttributeKey.longKey("switchboard.pool.max");

    static final AttributeKey<String> TX_ISOLATION = AttributeKey.stringKey("switchboard.transaction.isolation");
    static final AttributeKey<Boolean> TX_READ_ONLY = AttributeKey.booleanKey("switchboard.transaction.read_only");
    static final AttributeKey<Long> TX_MAX_ATTEMPTS = AttributeKey.longKey("switchboard.transaction.max_attempts");
    static final AttributeKey<Long> TX_ATTEMPTS = AttributeKey.longKey("switchboard.transaction.attempts");
    static final AttributeKey<Long> TX_ATTEMPT = AttributeKey.longKey("switchboard.transaction.attempt");
    static final AttributeKey<String> TX_OUTCOME = AttributeKey.stringKey("switchboard.transaction.outcome");
    static final AttributeKey<Double> TX_BACKOFF = AttributeKey.doubleKey("switchboard.transaction.backoff");
    /** The INTERNAL span of one {@code inTransaction}. */
    static final String TRANSACTION_SPAN = "transaction";
    /** The event per retried attempt on the transaction span. */
    static final String RETRY_EVENT = "switchboard.transaction.retry";
    private static final QueryContext COMMIT = new QueryContext("COMMIT", false, 0);
    private static final QueryContext ROLLBACK = new QueryContext("ROLLBACK", false, 0);

    /** The event on the first statement's span after a slow checkout. */
    static final String SLOW_CHECKOUT_EVENT = "db.client.connection.slow_checkout";
    /** The opt-in span of a slow checkout. */
    static final String CHECKOUT_SPAN = "checkout";

    /** The conventions' bucket advice for every duration histogram here. */
    static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

    private static final String SYSTEM = "postgresql";
    private static final System.Logger LOG = System.getLogger(OtelInstrumentation.class.getName());

    /**
     * How many hosts other than the configured one get their own attribute sets: the core names only the
     * hosts its URL lists, so this bound is never reached in practice; past it the sets start afresh.
     */
    private static final int MAX_OTHER_SERVERS = 16;

    private final TracingOptions options;
    private final Tracer tracer;
    private final String namespace;
    /** The pool's configured host, the one nearly every statement runs on. */
    private final Server configured;
    /** Other hosts the pool's connections are on (a multi-host URL after a failover), built when first seen. */
    private final Map<DatabaseTarget, Server> otherServers = new ConcurrentHashMap<>();
    private final Attributes poolAttributes;
    /** What every transaction span starts with: the configured host's attributes, the pool's name and role. */
    private final Attributes transactionAttributes;
    private final Attributes idleAttributes;
    private final Attributes usedAttributes;

    private final DoubleHistogram operationDuration;
    private final LongCounter timeouts;
    private final DoubleHistogram createTime;
    private final DoubleHistogram waitTime;
    private final DoubleHistogram useTime;
    private final BatchCallback poolCallback;
    private final Supplier<PoolStats> stats;
    private final long slowCheckoutNanos;
    /**
     * A slow checkout not yet reported, per borrowing thread: the session's first statement runs on the
     * thread that borrowed it in the common case, so the event lands on that statement's span. Cleared
     * when the session is released without a statement. {@link #pendingSlowCheckouts} keeps the hot
     * path at one volatile read while no slow checkout is pending anywhere.
     */
    private final ThreadLocal<Attributes> slowCheckout = new ThreadLocal<>();
    private final AtomicInteger pendingSlowCheckouts = new AtomicInteger();

    /**
     * Binds the instrumentation to one database.
     *
     * @param openTelemetry where spans and metrics go
     * @param options       the switches
     * @param target        the database's host, port and name
     * @param poolName      the pool's name, unique in the process
     * @param stats         live pool statistics, read when metrics are collected
     */
    public OtelInstrumentation(OpenTelemetry openTelemetry, TracingOptions options, DatabaseTarget target,
                               String poolName, Supplier<PoolStats> stats) {
        this(openTelemetry, options, target, target.database(), poolName, PoolStatus.Role.PRIMARY, stats);
    }

    /**
     * Binds the instrumentation to one database.
     *
     * @param openTelemetry where spans and metrics go
     * @param options       the switches
     * @param target        the database's configured host and port
     * @param namespace     the {@code db.namespace} ({@code {database}|{schema}} or the database)
     * @param poolName      the pool's name, unique in the process
     * @param role          the pool's role (primary or a standby's)
     * @param stats         live pool statistics, read when metrics are collected
     */
    public OtelInstrumentation(OpenTelemetry openTelemetry, TracingOptions options, DatabaseTarget target,
                               String namespace, String poolName, PoolStatus.Role role, Supplier<PoolStats> stats) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.options = Objects.requireNonNull(options, "options");
        this.slowCheckoutNanos = options.slowCheckout().isZero() ? Long.MAX_VALUE : options.slowCheckout().toNanos();
        this.tracer = openTelemetry.tracerBuilder(SCOPE)
                .setInstrumentationVersion(Version.LIBRARY)
                .setSchemaUrl(SCHEMA_URL)
                .build();
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.configured = new Server(target);
        String roleLabel = role.label();
        this.poolAttributes = Attributes.of(POOL_NAME, poolName, POOL_ROLE, roleLabel);
        this.transactionAttributes = configured.base.toBuilder().putAll(poolAttributes).build();
        this.idleAttributes = Attributes.of(POOL_NAME, poolName, POOL_ROLE, roleLabel, CONNECTION_STATE, "idle");
        this.usedAttributes = Attributes.of(POOL_NAME, poolName, POOL_ROLE, roleLabel, CONNECTION_STATE, "used");

        Meter meter = openTelemetry.meterBuilder(SCOPE)
                .setInstrumentationVersion(Version.LIBRARY)
                .setSchemaUrl(SCHEMA_URL)
                .build();
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
        // Switchboard's own pool counters (the conventions define none for these).
        ObservableLongMeasurement rejected = meter.counterBuilder("switchboard.pool.rejected")
                .setUnit("{request}")
                .setDescription("Checkouts refused at once because db.pool.max-waiting callers already waited.")
                .buildObserver();
        ObservableLongMeasurement connectAttempts = meter.counterBuilder("switchboard.pool.connect_attempts")
                .setUnit("{attempt}")
                .setDescription("Physical connection attempts, successful or not.")
                .buildObserver();
        ObservableLongMeasurement connectFailures = meter.counterBuilder("switchboard.pool.connect_failures")
                .setUnit("{attempt}")
                .setDescription("Physical connection attempts that failed.")
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
            rejected.record(s.rejected(), poolAttributes);
            connectAttempts.record(s.connectAttempts(), poolAttributes);
            connectFailures.record(s.connectFailures(), poolAttributes);
        }, count, max, idleMin, idleMax, pending, rejected, connectAttempts, connectFailures);
    }

    /** The {@code db.namespace} of a database, given its connection URL's driver parameters (see {@link Namespace}). */
    public static String namespace(String database, Map<String, String> parameters) {
        return Namespace.of(database, parameters);
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
        return observe(query.server(), query);
    }

    /** Starts observing a statement on {@code target}'s host (null: the configured one); never throws. */
    private QueryObservation observe(DatabaseTarget target, QueryContext query) {
        try {
            return start(server(target), query);
        } catch (RuntimeException e) {
            // Tracing must never break a query.
            LOG.log(System.Logger.Level.WARNING, "OpenTelemetry instrumentation failed before a query: {0}",
                    e.getClass().getName());
            return QueryObservation.NOOP;
        }
    }

    private QueryObservation start(Server server, QueryContext query) {
        int batchSize = query.batchSize();
        Shape shape;
        String name;
        Attributes metricAttributes;
        Attributes spanAttributes = null;
        boolean recordSpan = !options.requireParent() || Span.current().getSpanContext().isValid();
        if (batchSize >= 2 || (batchSize == 0 && query.isBatch())) {
            shape = batchSize == 0 ? server.emptyBatch : server.shapes.get(query.sql());
            name = shape.info.batchSummary();
            metricAttributes = shape.batchMetricAttributes;
            if (recordSpan) {
                spanAttributes = batchSpanAttributes(shape, query);
            }
        } else {
            // The hot path: everything was built once per SQL text.
            shape = server.shapes.get(query.sql());
            name = shape.spanName;
            metricAttributes = shape.metricAttributes;
            if (recordSpan) {
                spanAttributes = query.parameterized() ? shape.parameterizedSpanAttributes : shape.sanitizedSpanAttributes;
            }
        }
        Span span = null;
        if (recordSpan) {
            span = tracer.spanBuilder(name)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAllAttributes(spanAttributes)
                    .startSpan();
        }
        if (pendingSlowCheckouts.get() > 0) {
            Attributes checkout = takeSlowCheckout();
            if (checkout != null && span != null) {
                span.addEvent(SLOW_CHECKOUT_EVENT, checkout);
            }
        }
        // Started last, like the span, so that both measure the JDBC call and not the analysis above.
        return new Observation(span, metricAttributes, System.nanoTime());
    }

    /** A batch's span attributes: built per call, since the size varies (batches are not the hot path). */
    private Attributes batchSpanAttributes(Shape shape, QueryContext query) {
        AttributesBuilder b = shape.batchMetricAttributes.toBuilder()
                .put(DB_OPERATION_BATCH_SIZE, (long) query.batchSize());
        if (options.queryText() && !query.sql().isEmpty()) {
            SqlInfo info = shape.info;
            String text;
            if (query.parameterized() && info.hasBindMarkers()) {
                text = query.sql(); // one statement with parameter sets: its text carries no values
            } else if (info.commonStatement() != null) {
                text = info.commonStatement(); // identical statements: the text once
            } else {
                text = info.sanitized();
            }
            b.put(DB_QUERY_TEXT, text);
        }
        return b.build();
    }

    /** The attribute sets of the host a statement runs on: the configured one unless told another. */
    private Server server(DatabaseTarget target) {
        if (target == null || target == configured.target) {
            return configured; // the hot path: the core hands over the very instance it opened us with
        }
        Server server = otherServers.get(target);
        if (server == null) {
            if (target.equals(configured.target)) {
                return configured;
            }
            if (otherServers.size() >= MAX_OTHER_SERVERS) {
                otherServers.clear();
            }
            server = otherServers.computeIfAbsent(target, Server::new);
        }
        return server;
    }

    /** What statements on one host record: its server attributes, and per SQL text the sets built from them. */
    private final class Server {
        final DatabaseTarget target;
        /** db.system.name, db.namespace, server.address, server.port: the same on every span and measurement. */
        final Attributes base;
        final SqlTextCache<Shape> shapes;
        final Shape emptyBatch;

        Server(DatabaseTarget target) {
            this.target = target;
            AttributesBuilder b = Attributes.builder()
                    .put(DB_SYSTEM_NAME, SYSTEM)
                    .put(DB_NAMESPACE, namespace)
                    .put(SERVER_ADDRESS, target.host());
            if (target.port() != DatabaseTarget.DEFAULT_PORT) {
                b.put(SERVER_PORT, (long) target.port());
            }
            this.base = b.build();
            // Attribute sets are immutable and shared: built once per SQL text.
            this.shapes = new SqlTextCache<>(1_000, 4_096, sql -> new Shape(sql, SqlAnalyzer.analyze(sql), base));
            this.emptyBatch = new Shape("", SqlInfo.EMPTY_BATCH, base);
        }
    }

    /** What every execution of one SQL text records. */
    private final class Shape {
        final SqlInfo info;
        final String spanName;
        /** db.system.name, db.namespace, server.*, db.query.summary, db.stored_procedure.name. */
        final Attributes metricAttributes;
        /** The metric attributes of a batch: the summary is BATCH [summary], no procedure. */
        final Attributes batchMetricAttributes;
        /** Span attributes when run without bind parameters: the text sanitized. */
        final Attributes sanitizedSpanAttributes;
        /** Span attributes when run with bind parameters: the text as is if it has a bind marker. */
        final Attributes parameterizedSpanAttributes;

        Shape(String sql, SqlInfo info, Attributes base) {
            this.info = info;
            String summary = info.summary();
            this.spanName = summary != null ? summary : SYSTEM;
            AttributesBuilder m = base.toBuilder();
            if (summary != null) {
                m.put(DB_QUERY_SUMMARY, summary);
            }
            if (info.procedure() != null) {
                m.put(DB_STORED_PROCEDURE_NAME, info.procedure());
            }
            this.metricAttributes = m.build();
            this.batchMetricAttributes = base.toBuilder().put(DB_QUERY_SUMMARY, info.batchSummary()).build();
            if (options.queryText()) {
                this.sanitizedSpanAttributes = metricAttributes.toBuilder().put(DB_QUERY_TEXT, info.sanitized()).build();
                // A prepared statement without a single bind marker carries its values inline: sanitize it.
                this.parameterizedSpanAttributes = info.hasBindMarkers()
                        ? metricAttributes.toBuilder().put(DB_QUERY_TEXT, sql).build()
                        : sanitizedSpanAttributes;
            } else {
                this.sanitizedSpanAttributes = metricAttributes;
                this.parameterizedSpanAttributes = metricAttributes;
            }
        }
    }

    @Override
    public void poolEvent(PoolEvent event) {
        try {
            switch (event.kind()) {
                case CHECKOUT:
                    waitTime.record(seconds(event.duration()), poolAttributes);
                    if (event.duration().toNanos() >= slowCheckoutNanos) {
                        slowCheckout(event.duration());
                    }
                    break;
                case RELEASE:
                    useTime.record(seconds(event.duration()), poolAttributes);
                    if (pendingSlowCheckouts.get() > 0) {
                        takeSlowCheckout(); // the session ran no statement: nothing to attach it to
                    }
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

    @Override
    public TransactionObservation beginTransaction(TransactionContext transaction) {
        if (!options.transactionSpans()
                || (options.requireParent() && !Span.current().getSpanContext().isValid())) {
            return TransactionObservation.NOOP;
        }
        try {
            SpanBuilder b = tracer.spanBuilder(TRANSACTION_SPAN)
                    .setSpanKind(SpanKind.INTERNAL)
                    // When the call began: read-only work is begun only once a standby's pool lent it a connection.
                    .setStartTimestamp(transaction.startedAt())
                    .setAllAttributes(transactionAttributes)
                    .setAttribute(TX_ISOLATION, transaction.isolation() == Isolation.DEFAULT ? "default"
                            : transaction.isolation().name())
                    .setAttribute(TX_MAX_ATTEMPTS, (long) transaction.maxAttempts());
            if (transaction.readOnly()) {
                b.setAttribute(TX_READ_ONLY, true);
            }
            Span span = b.startSpan();
            // Current for the whole transaction, so statements, COMMIT and ROLLBACK become its children.
            return new TransactionSpan(span, span.makeCurrent());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "OpenTelemetry instrumentation failed at a transaction start: {0}",
                    e.getClass().getName());
            return TransactionObservation.NOOP;
        }
    }

    /**
     * One transaction's span; every call comes on the transaction's thread. It starts with the configured
     * host (no connection is borrowed yet) and moves to the host of each COMMIT or ROLLBACK, so once ended it
     * names the host of the last attempt's connection.
     */
    private final class TransactionSpan implements TransactionObservation {
        private final Span span;
        private final Scope scope;
        private Server server = configured;
        private boolean ended;

        TransactionSpan(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        @Override
        public void retry(int attempt, DataAccessException failure, Duration backoff) {
            AttributesBuilder b = Attributes.builder()
                    .put(TX_ATTEMPT, (long) attempt)
                    .put(EXCEPTION_TYPE, failure.getClass().getName())
                    .put(TX_BACKOFF, seconds(backoff));
            if (failure.sqlState() != null) {
                b.put(DB_RESPONSE_STATUS_CODE, failure.sqlState());
            }
            span.addEvent(RETRY_EVENT, b.build());
        }

        @Override
        public QueryObservation beforeCommit() {
            return beforeCommit(null);
        }

        @Override
        public QueryObservation beforeRollback() {
            return beforeRollback(null);
        }

        @Override
        public QueryObservation beforeCommit(DatabaseTarget target) {
            return on(target, COMMIT);
        }

        @Override
        public QueryObservation beforeRollback(DatabaseTarget target) {
            return on(target, ROLLBACK);
        }

        /** COMMIT or ROLLBACK on {@code target}'s host: the span names that host from now on. */
        private QueryObservation on(DatabaseTarget target, QueryContext statement) {
            try {
                Server now = server(target);
                if (now != server) {
                    server = now;
                    // Both, always: a span cannot drop server.port when the new host's port is the default.
                    span.setAttribute(SERVER_ADDRESS, now.target.host());
                    span.setAttribute(SERVER_PORT, (long) now.target.port());
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "OpenTelemetry instrumentation failed to name a transaction's "
                        + "host: {0}", e.getClass().getName());
            }
            return observe(target, statement);
        }

        @Override
        public void end(Outcome outcome, int attempts, Throwable failure) {
            if (ended) {
                return;
            }
            ended = true;
            try {
                span.setAttribute(TX_ATTEMPTS, (long) attempts);
                span.setAttribute(TX_OUTCOME, outcome.name().toLowerCase(java.util.Locale.ROOT));
                if (failure != null) {
                    String sqlState = failure instanceof DataAccessException
                            ? ((DataAccessException) failure).sqlState() : null;
                    if (sqlState != null) {
                        span.setAttribute(DB_RESPONSE_STATUS_CODE, sqlState);
                    }
                    span.setAttribute(ERROR_TYPE, sqlState != null ? sqlState : failure.getClass().getName());
                    span.setStatus(StatusCode.ERROR);
                    span.addEvent("exception", SafeExceptions.eventAttributes(failure));
                }
            } finally {
                scope.close();
                span.end();
            }
        }
    }

    /** Records a slow checkout: remembered for the thread's next statement, and as a span when asked. */
    private void slowCheckout(Duration wait) {
        AttributesBuilder b = poolAttributes.toBuilder().put(CHECKOUT_WAIT, seconds(wait));
        try {
            PoolStats s = stats.get();
            b.put(POOL_TOTAL, s.total()).put(POOL_IDLE, s.idle()).put(POOL_BUSY, s.busy())
                    .put(POOL_PENDING, s.pending()).put(POOL_MAX, s.max());
        } catch (RuntimeException e) {
            // a closing pool: the wait alone is still worth reporting
        }
        Attributes attributes = b.build();
        if (slowCheckout.get() == null) {
            pendingSlowCheckouts.incrementAndGet();
        }
        slowCheckout.set(attributes);
        if (options.checkoutSpans() && (!options.requireParent() || Span.current().getSpanContext().isValid())) {
            java.time.Instant now = java.time.Instant.now();
            long end = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            tracer.spanBuilder(CHECKOUT_SPAN)
                    .setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(end - wait.toNanos(), TimeUnit.NANOSECONDS)
                    .setAllAttributes(attributes)
                    .startSpan()
                    .end(end, TimeUnit.NANOSECONDS);
        }
    }

    /** The calling thread's unreported slow checkout, removed; {@code null} when there is none. */
    private Attributes takeSlowCheckout() {
        Attributes attributes = slowCheckout.get();
        if (attributes != null) {
            slowCheckout.remove();
            pendingSlowCheckouts.decrementAndGet();
        }
        return attributes;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** One statement in flight. Ended once, on the executing thread. */
    private final class Observation implements QueryObservation {
        private final Span span;
        private final Attributes metricAttributes;
        private final long startNanos;
        private boolean ended;

        Observation(Span span, Attributes metricAttributes, long startNanos) {
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
            if (outcome == null || (outcome.error() == null && outcome.mapped() == null)) {
                operationDuration.record(elapsed, metricAttributes);
                if (span != null) {
                    span.end();
                }
                return;
            }
            String sqlState = outcome.sqlState();
            String errorType = sqlState != null ? sqlState : errorClass(outcome);
            AttributesBuilder failed = metricAttributes.toBuilder();
            if (sqlState != null) {
                failed.put(DB_RESPONSE_STATUS_CODE, sqlState);
            }
            failed.put(ERROR_TYPE, errorType);
            operationDuration.record(elapsed, failed.build());
            if (span != null) {
                if (sqlState != null) {
                    span.setAttribute(DB_RESPONSE_STATUS_CODE, sqlState);
                }
                span.setAttribute(ERROR_TYPE, errorType);
                span.setStatus(StatusCode.ERROR);
                span.addEvent("exception", SafeExceptions.eventAttributes(outcome.thrown()));
                span.end();
            }
        }

        private String errorClass(QueryOutcome outcome) {
            Exception thrown = outcome.thrown();
            return thrown != null ? thrown.getClass().getName() : outcome.mapped().getClass().getName();
        }
    }
}
