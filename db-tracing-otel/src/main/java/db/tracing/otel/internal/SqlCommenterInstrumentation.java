package db.tracing.otel.internal;

import db.api.spi.Instrumentation;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.TransactionContext;
import db.api.spi.TransactionObservation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Adds sqlcommenter context propagation to an instrumentation: statements sent while a span is
 * current get <code>/*traceparent='00-&lt;trace&gt;-&lt;span&gt;-&lt;flags&gt;'*&#47;</code> appended (W3C trace context,
 * see https://google.github.io/sqlcommenter/spec/). As the specification asks, a statement that
 * already holds a comment is left alone, and the comment goes before a trailing semicolon.
 */
public final class SqlCommenterInstrumentation implements Instrumentation {

    private final Instrumentation delegate;

    /** Wraps {@code delegate}, which does the tracing. */
    public SqlCommenterInstrumentation(Instrumentation delegate) {
        this.delegate = delegate;
    }

    @Override
    public QueryObservation beforeQuery(QueryContext query) {
        return delegate.beforeQuery(query);
    }

    @Override
    public TransactionObservation beginTransaction(TransactionContext transaction) {
        return delegate.beginTransaction(transaction);
    }

    @Override
    public void poolEvent(PoolEvent event) {
        delegate.poolEvent(event);
    }

    @Override
    public String rewrite(String sql) {
        String rewritten = delegate.rewrite(sql);
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid() || rewritten.contains("/*") || rewritten.contains("--")) {
            return rewritten;
        }
        // Hex digits and dashes only: nothing to URL-encode or escape.
        String comment = "/*traceparent='00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex() + "'*/";
        String body = rewritten.stripTrailing();
        if (body.endsWith(";")) {
            return body.substring(0, body.length() - 1).stripTrailing() + " " + comment + ";";
        }
        return body + " " + comment;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
