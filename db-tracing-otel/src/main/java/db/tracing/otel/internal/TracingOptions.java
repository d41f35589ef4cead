package db.tracing.otel.internal;

/**
 * The instrumenter's switches, read from the configuration once per database.
 *
 * @param queryText     record {@code db.query.text} (parameterized text as is, other text sanitized)
 * @param requireParent start a span only when the calling thread already has a valid (sampled or not)
 *                      parent span, so that background work without a trace creates no root spans
 * @param sqlCommenter  append a sqlcommenter {@code traceparent} comment to statements
 */
public record TracingOptions(boolean queryText, boolean requireParent, boolean sqlCommenter) {

    /** The defaults: query text on, no parent required, no sqlcommenter. */
    public static final TracingOptions DEFAULTS = new TracingOptions(true, false, false);
}
