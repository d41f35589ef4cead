package db.tracing.otel.internal;

import static db.tracing.otel.internal.SemconvKeys.DB_OPERATION_BATCH_SIZE;
import static db.tracing.otel.internal.SemconvKeys.DB_QUERY_TEXT;
import static db.tracing.otel.internal.SemconvKeys.DB_RESPONSE_STATUS_CODE;
import static db.tracing.otel.internal.SemconvKeys.ERROR_TYPE;
import static db.tracing.otel.internal.SemconvKeys.SLOW_CHECKOUT_EVENT;

import db.api.DatabaseTarget;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A CLIENT span and a {@code db.client.operation.duration} measurement per statement. The statement path
 * allocates the span and one observation: every attribute set comes from the text's {@link StatementShape}.
 */
final class QuerySpans {
    private static final Logger LOG = LogManager.getLogger(QuerySpans.class);

    private final Tracer tracer;
    private final TracingOptions options;
    private final KnownServers servers;
    private final SlowCheckouts slowCheckouts;
    private final DoubleHistogram operationDuration;

    QuerySpans(Tracer tracer, TracingOptions options, KnownServers servers, SlowCheckouts slowCheckouts,
               DoubleHistogram operationDuration) {
        this.tracer = tracer;
        this.options = options;
        this.servers = servers;
        this.slowCheckouts = slowCheckouts;
        this.operationDuration = operationDuration;
    }

    /** Starts observing a statement on {@code target}'s host (null: the configured one); never throws. */
    QueryObservation observe(DatabaseTarget target, QueryContext query) {
        try {
            return start(servers.of(target), query);
        } catch (RuntimeException e) {
            // Tracing must never break a query.
            LOG.warn("OpenTelemetry instrumentation failed before a query: {}", e.getClass().getName());
            return QueryObservation.NOOP;
        }
    }

    private QueryObservation start(ServerAttributes server, QueryContext query) {
        int batchSize = query.batchSize();
        StatementShape shape;
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
        if (slowCheckouts.anyPending()) {
            Attributes checkout = slowCheckouts.take();
            if (checkout != null && span != null) {
                span.addEvent(SLOW_CHECKOUT_EVENT, checkout);
            }
        }
        // Started last, like the span, so that both measure the JDBC call and not the analysis above.
        return new Observation(span, metricAttributes, System.nanoTime());
    }

    /** A batch's span attributes: built per call, since the size varies (batches are not the hot path). */
    private Attributes batchSpanAttributes(StatementShape shape, QueryContext query) {
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
                LOG.warn("OpenTelemetry instrumentation failed after a query: {}", e.getClass().getName());
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
