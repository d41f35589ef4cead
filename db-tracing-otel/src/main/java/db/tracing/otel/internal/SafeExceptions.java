package db.tracing.otel.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Builds the attributes of a span's {@code exception} event without leaking what the driver said.
 *
 * <p>{@code Span.recordException} would print the whole cause chain with messages, and the driver's
 * message can carry row values (a duplicate key's value, say). Here only the mapped Switchboard
 * exception's message, which is PII-free by contract, is kept; causes appear by class name only.
 */
final class SafeExceptions {

    /** Stack frames kept per throwable: enough to locate the caller, bounded for span size. */
    private static final int MAX_FRAMES = 64;
    private static final int MAX_CAUSES = 8;

    private SafeExceptions() {
    }

    /**
     * The event attributes for a failure.
     *
     * @param mapped the mapped exception (PII-free message), or {@code null}
     * @param error  the driver's exception, used only for its class name when nothing was mapped
     */
    static Attributes eventAttributes(Throwable mapped, Throwable error) {
        AttributesBuilder b = Attributes.builder();
        Throwable shown = mapped != null ? mapped : error;
        if (shown == null) {
            return b.build();
        }
        b.put(OtelInstrumentation.EXCEPTION_TYPE, shown.getClass().getName());
        if (mapped != null && mapped.getMessage() != null) {
            b.put(OtelInstrumentation.EXCEPTION_MESSAGE, mapped.getMessage());
        }
        b.put(OtelInstrumentation.EXCEPTION_STACKTRACE, stackTrace(shown, mapped != null));
        return b.build();
    }

    /** A stack trace with the top message only when {@code showMessage}, and causes by class name only. */
    static String stackTrace(Throwable top, boolean showMessage) {
        StringBuilder sb = new StringBuilder(1024);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = top;
        int causes = 0;
        while (t != null && seen.add(t) && causes <= MAX_CAUSES) {
            if (t != top) {
                sb.append("Caused by: ");
            }
            sb.append(t.getClass().getName());
            if (t == top && showMessage && t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            sb.append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            int n = Math.min(frames.length, MAX_FRAMES);
            for (int i = 0; i < n; i++) {
                sb.append("\tat ").append(frames[i]).append('\n');
            }
            if (frames.length > n) {
                sb.append("\t... ").append(frames.length - n).append(" more\n");
            }
            t = t.getCause();
            causes++;
        }
        return sb.toString();
    }
}
