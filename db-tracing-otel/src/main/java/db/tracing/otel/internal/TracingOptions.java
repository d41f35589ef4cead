package db.tracing.otel.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The instrumenter's switches, read from the configuration once per database.
 *
 * @param queryText         record {@code db.query.text} (parameterized text as is, other text sanitized)
 * @param requireParent     start a span only when the calling thread already has a valid (sampled or not)
 *                          parent span, so that background work without a trace creates no root spans
 * @param sqlCommenter      append a sqlcommenter {@code traceparent} comment to statements
 * @param slowCheckout      a checkout that waited at least this long is reported on the first statement's
 *                          span; {@link Duration#ZERO} turns that off
 * @param checkoutSpans     also record such a slow checkout as a short span of its own
 * @param transactionSpans  an INTERNAL span per {@code inTransaction}, COMMIT and ROLLBACK as CLIENT spans
 */
public record TracingOptions(boolean queryText, boolean requireParent, boolean sqlCommenter, Duration slowCheckout,
                             boolean checkoutSpans, boolean transactionSpans) {

    /** The default slow-checkout threshold. */
    public static final Duration DEFAULT_SLOW_CHECKOUT = Duration.ofMillis(100);

    /** The defaults: query text on, no parent required, no sqlcommenter, slow checkouts from 100 ms as events. */
    public static final TracingOptions DEFAULTS = new TracingOptions(true, false, false);

    /** Validates the parts. */
    public TracingOptions {
        Objects.requireNonNull(slowCheckout, "slowCheckout");
        if (slowCheckout.isNegative()) {
            throw new IllegalArgumentException("slowCheckout < 0");
        }
    }

    /** The first three switches, the rest at their defaults. */
    public TracingOptions(boolean queryText, boolean requireParent, boolean sqlCommenter) {
        this(queryText, requireParent, sqlCommenter, DEFAULT_SLOW_CHECKOUT, false, false);
    }
}
