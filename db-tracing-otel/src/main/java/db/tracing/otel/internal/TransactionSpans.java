package db.tracing.otel.internal;

import static db.tracing.otel.internal.SemconvKeys.DB_RESPONSE_STATUS_CODE;
import static db.tracing.otel.internal.SemconvKeys.ERROR_TYPE;
import static db.tracing.otel.internal.SemconvKeys.EXCEPTION_TYPE;
import static db.tracing.otel.internal.SemconvKeys.RETRY_EVENT;
import static db.tracing.otel.internal.SemconvKeys.SERVER_ADDRESS;
import static db.tracing.otel.internal.SemconvKeys.SERVER_PORT;
import static db.tracing.otel.internal.SemconvKeys.TRANSACTION_SPAN;
import static db.tracing.otel.internal.SemconvKeys.TX_ATTEMPT;
import static db.tracing.otel.internal.SemconvKeys.TX_ATTEMPTS;
import static db.tracing.otel.internal.SemconvKeys.TX_BACKOFF;
import static db.tracing.otel.internal.SemconvKeys.TX_ISOLATION;
import static db.tracing.otel.internal.SemconvKeys.TX_MAX_ATTEMPTS;
import static db.tracing.otel.internal.SemconvKeys.TX_OUTCOME;
import static db.tracing.otel.internal.SemconvKeys.TX_READ_ONLY;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.Isolation;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.TransactionContext;
import db.api.spi.TransactionObservation;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The INTERNAL span of one {@code inTransaction}, current for the whole transaction so its statements,
 * COMMIT and ROLLBACK become its children, with an event per retried attempt.
 */
final class TransactionSpans {
    private static final Logger LOG = LogManager.getLogger(TransactionSpans.class);
    private static final QueryContext COMMIT = new QueryContext("COMMIT", false, 0);
    private static final QueryContext ROLLBACK = new QueryContext("ROLLBACK", false, 0);

    private final Tracer tracer;
    private final TracingOptions options;
    private final KnownServers servers;
    private final QuerySpans queries;
    /** What every transaction span starts with: the configured host's attributes, the pool's name and role. */
    private final Attributes startAttributes;

    TransactionSpans(Tracer tracer, TracingOptions options, KnownServers servers, QuerySpans queries,
                     Attributes poolAttributes) {
        this.tracer = tracer;
        this.options = options;
        this.servers = servers;
        this.queries = queries;
        this.startAttributes = servers.configured().base.toBuilder().putAll(poolAttributes).build();
    }

    /** Starts a transaction's span, or none when transaction spans are off or a parent is required and absent. */
    // The scope outlives this method on purpose: the transaction's end closes it (TransactionSpan.end).
    @SuppressWarnings("MustBeClosedChecker")
    TransactionObservation begin(TransactionContext transaction) {
        if (!options.transactionSpans()
                || (options.requireParent() && !Span.current().getSpanContext().isValid())) {
            return TransactionObservation.NOOP;
        }
        try {
            SpanBuilder b = tracer.spanBuilder(TRANSACTION_SPAN)
                    .setSpanKind(SpanKind.INTERNAL)
                    // When the call began: read-only work is begun only once a standby's pool lent it a connection.
                    .setStartTimestamp(transaction.startedAt())
                    .setAllAttributes(startAttributes)
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
            LOG.warn("OpenTelemetry instrumentation failed at a transaction start: {}", e.getClass().getName());
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
        private ServerAttributes server = servers.configured();
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
                    .put(TX_BACKOFF, Seconds.of(backoff));
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
                ServerAttributes now = servers.of(target);
                if (now != server) {
                    server = now;
                    // Both, always: a span cannot drop server.port when the new host's port is the default.
                    span.setAttribute(SERVER_ADDRESS, now.target.host());
                    span.setAttribute(SERVER_PORT, (long) now.target.port());
                }
            } catch (RuntimeException e) {
                LOG.warn("OpenTelemetry instrumentation failed to name a transaction's host: {}",
                        e.getClass().getName());
            }
            return queries.observe(target, statement);
        }

        @Override
        public void end(Outcome outcome, int attempts, Throwable failure) {
            if (ended) {
                return;
            }
            ended = true;
            try {
                span.setAttribute(TX_ATTEMPTS, (long) attempts);
                span.setAttribute(TX_OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
                if (failure != null) {
                    String sqlState = failure instanceof DataAccessException mapped ? mapped.sqlState() : null;
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
}
