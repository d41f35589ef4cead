package db.tracing.otel.internal;

/**
 * What the instrumentation records about one SQL text, computed once per distinct text.
 *
 * @param sanitized       the text with every literal replaced by {@code ?}, comments removed and
 *                        {@code IN (?, ?, ?)} collapsed to {@code IN (?)}
 * @param summary         the {@code db.query.summary} ({@code SELECT users}), or {@code null} when no
 *                        operation could be recognised; at most 255 characters, cut between tokens
 * @param operationName   the {@code db.operation.name} of a single statement ({@code SELECT},
 *                        {@code CREATE TABLE}), or {@code null} when there are several or none
 * @param commonSummary   the summary every statement of the text shares, or {@code null} when they
 *                        differ (used for batches, which the conventions name {@code BATCH <summary>})
 * @param commonOperation the operation every statement shares, or {@code null} when they differ
 * @param hasBindMarkers  whether the text has a bind marker ({@code ?} or {@code $1}) outside literals and
 *                        comments
 * @param procedure       the {@code db.stored_procedure.name} of a single {@code CALL} statement, else
 *                        {@code null}
 */
public record SqlInfo(String sanitized, String summary, String operationName, String commonSummary,
                      String commonOperation, boolean hasBindMarkers, String procedure) {
}
