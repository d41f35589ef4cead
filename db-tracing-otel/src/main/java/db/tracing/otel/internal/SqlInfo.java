package db.tracing.otel.internal;

/**
 * What the instrumentation records about one SQL text, computed once per distinct text.
 *
 * @param sanitized       the text with every literal replaced by {@code ?}, comments removed and
 *                        {@code IN (?, ?, ?)} collapsed to {@code IN (?)}
 * @param summary         the {@code db.query.summary} ({@code SELECT users}), or {@code null} when no
 *                        operation could be recognised; at most 255 characters, cut between tokens;
 *                        keywords as the application wrote them
 * @param batchSummary    the summary of a batch of this text: {@code BATCH <summary>} when every
 *                        statement has the same summary and it fits, else {@code BATCH}
 * @param commonStatement the sanitized text every statement shares when the text holds two or more
 *                        statements identical after sanitization, else {@code null}
 * @param hasBindMarkers  whether the text has a bind marker ({@code ?} or {@code $1}) outside literals and
 *                        comments
 * @param procedure       the {@code db.stored_procedure.name} of a single {@code CALL} statement, else
 *                        {@code null}
 */
public record SqlInfo(String sanitized, String summary, String batchSummary, String commonStatement,
                      boolean hasBindMarkers, String procedure) {

    /** What an empty batch records: nothing but its name. */
    static final SqlInfo EMPTY_BATCH = new SqlInfo("", null, "BATCH", null, false, null);
}
