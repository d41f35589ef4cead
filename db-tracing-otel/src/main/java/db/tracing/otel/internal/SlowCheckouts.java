package db.tracing.otel.internal;

import static db.tracing.otel.internal.SemconvKeys.CHECKOUT_SPAN;
import static db.tracing.otel.internal.SemconvKeys.CHECKOUT_WAIT;
import static db.tracing.otel.internal.SemconvKeys.POOL_BUSY;
import static db.tracing.otel.internal.SemconvKeys.POOL_IDLE;
import static db.tracing.otel.internal.SemconvKeys.POOL_MAX;
import static db.tracing.otel.internal.SemconvKeys.POOL_PENDING;
import static db.tracing.otel.internal.SemconvKeys.POOL_TOTAL;

import db.api.PoolStats;
import db.api.spi.PoolEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Checkouts that waited at least {@code db.tracing.slow-checkout}: reported as an event on the borrowing
 * thread's next statement span, and as a span of their own when asked.
 */
final class SlowCheckouts {
    private final Tracer tracer;
    private final TracingOptions options;
    private final Attributes poolAttributes;
    private final Supplier<PoolStats> stats;
    private final long thresholdNanos;
    /**
     * A slow checkout not yet reported, per borrowing thread: the session's first statement runs on the
     * thread that borrowed it in the common case, so the event lands on that statement's span. Cleared
     * when the session is released without a statement. {@link #pendingCount} keeps the hot path at one
     * volatile read while no slow checkout is pending anywhere.
     */
    @SuppressWarnings("ThreadLocalUsage") // one per pool on purpose: two pools' pending events must not mix
    private final ThreadLocal<Attributes> pending = new ThreadLocal<>();
    private final AtomicInteger pendingCount = new AtomicInteger();

    SlowCheckouts(Tracer tracer, TracingOptions options, Attributes poolAttributes, Supplier<PoolStats> stats) {
        this.tracer = tracer;
        this.options = options;
        this.poolAttributes = poolAttributes;
        this.stats = stats;
        this.thresholdNanos = options.slowCheckout().isZero() ? Long.MAX_VALUE : options.slowCheckout().toNanos();
    }

    /** Remembers a slow checkout, or forgets the one of a session released without a statement. */
    void onPoolEvent(PoolEvent event) {
        if (event.kind() == PoolEvent.Kind.CHECKOUT) {
            if (event.duration().toNanos() >= thresholdNanos) {
                record(event.duration());
            }
        } else if (event.kind() == PoolEvent.Kind.RELEASE && anyPending()) {
            take(); // the session ran no statement: nothing to attach it to
        }
    }

    /** Whether any thread has a slow checkout not yet reported: one volatile read. */
    boolean anyPending() {
        return pendingCount.get() > 0;
    }

    /** The calling thread's unreported slow checkout, removed; {@code null} when there is none. */
    Attributes take() {
        Attributes attributes = pending.get();
        if (attributes != null) {
            pending.remove();
            pendingCount.decrementAndGet();
        }
        return attributes;
    }

    /** Records a slow checkout: remembered for the thread's next statement, and as a span when asked. */
    private void record(Duration wait) {
        AttributesBuilder b = poolAttributes.toBuilder().put(CHECKOUT_WAIT, Seconds.of(wait));
        try {
            PoolStats s = stats.get();
            b.put(POOL_TOTAL, s.total()).put(POOL_IDLE, s.idle()).put(POOL_BUSY, s.busy())
                    .put(POOL_PENDING, s.pending()).put(POOL_MAX, s.max());
        } catch (RuntimeException e) {
            // a closing pool: the wait alone is still worth reporting
        }
        Attributes attributes = b.build();
        if (pending.get() == null) {
            pendingCount.incrementAndGet();
        }
        pending.set(attributes);
        if (options.checkoutSpans() && (!options.requireParent() || Span.current().getSpanContext().isValid())) {
            Instant now = Instant.now();
            long end = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            tracer.spanBuilder(CHECKOUT_SPAN)
                    .setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(end - wait.toNanos(), TimeUnit.NANOSECONDS)
                    .setAllAttributes(attributes)
                    .startSpan()
                    .end(end, TimeUnit.NANOSECONDS);
        }
    }
}
