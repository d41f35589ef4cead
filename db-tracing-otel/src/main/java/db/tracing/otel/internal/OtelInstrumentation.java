package db.tracing.otel.internal;

import db.api.DatabaseTarget;
import db.api.PoolStats;
import db.api.PoolStatus;
import db.api.spi.Instrumentation;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.TransactionContext;
import db.api.spi.TransactionObservation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The OpenTelemetry instrumentation of one database: a CLIENT span and a
 * {@code db.client.operation.duration} measurement per statement, and the
 * {@code db.client.connection.*} pool metrics. It composes {@link QuerySpans}, {@link TransactionSpans},
 * {@link PoolMetrics} and {@link SlowCheckouts}, which share the attribute sets of {@link KnownServers}.
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

    private static final Logger LOG = LogManager.getLogger(OtelInstrumentation.class);

    private final QuerySpans queries;
    private final TransactionSpans transactions;
    private final PoolMetrics metrics;
    private final SlowCheckouts slowCheckouts;

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
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(options, "options");
        Tracer tracer = openTelemetry.tracerBuilder(SCOPE)
                .setInstrumentationVersion(Version.LIBRARY)
                .setSchemaUrl(SCHEMA_URL)
                .build();
        KnownServers servers = new KnownServers(target, Objects.requireNonNull(namespace, "namespace"),
                options.queryText());
        Attributes poolAttributes = Attributes.of(SemconvKeys.POOL_NAME, poolName, SemconvKeys.POOL_ROLE, role.label());
        Meter meter = openTelemetry.meterBuilder(SCOPE)
                .setInstrumentationVersion(Version.LIBRARY)
                .setSchemaUrl(SCHEMA_URL)
                .build();
        this.slowCheckouts = new SlowCheckouts(tracer, options, poolAttributes, stats);
        this.queries = new QuerySpans(tracer, options, servers, slowCheckouts, Seconds.histogram(meter,
                "db.client.operation.duration", "Duration of database client operations."));
        this.transactions = new TransactionSpans(tracer, options, servers, queries, poolAttributes);
        this.metrics = new PoolMetrics(meter, poolAttributes, stats);
    }

    /** The {@code db.namespace} of a database, given its connection URL's driver parameters (see {@link Namespace}). */
    public static String namespace(String database, Map<String, String> parameters) {
        return Namespace.of(database, parameters);
    }

    @Override
    public QueryObservation beforeQuery(QueryContext query) {
        return queries.observe(query.server(), query);
    }

    @Override
    public TransactionObservation beginTransaction(TransactionContext transaction) {
        return transactions.begin(transaction);
    }

    @Override
    public void poolEvent(PoolEvent event) {
        try {
            metrics.record(event);
            slowCheckouts.onPoolEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("OpenTelemetry instrumentation failed on a pool event: {}", e.getClass().getName());
        }
    }

    @Override
    public void close() {
        metrics.close();
    }
}
