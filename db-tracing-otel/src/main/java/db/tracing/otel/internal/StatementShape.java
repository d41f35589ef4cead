package db.tracing.otel.internal;

import static db.tracing.otel.internal.SemconvKeys.DB_QUERY_SUMMARY;
import static db.tracing.otel.internal.SemconvKeys.DB_QUERY_TEXT;
import static db.tracing.otel.internal.SemconvKeys.DB_STORED_PROCEDURE_NAME;
import static db.tracing.otel.internal.SemconvKeys.SYSTEM;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * What every execution of one SQL text on one host records: its span name and its immutable attribute
 * sets, built once per text so a statement allocates none.
 */
final class StatementShape {
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

    StatementShape(String sql, SqlInfo info, Attributes base, boolean queryText) {
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
        if (queryText) {
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
