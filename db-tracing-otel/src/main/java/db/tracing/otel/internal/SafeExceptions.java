package db.tracing.otel.internal;

import db.api.DataAccessException;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Builds the attributes of a span's {@code exception} event without leaking what the driver said.
 *
 * <p>{@code Span.recordException} would print the whole cause chain with messages, and the driver's
 * message can carry row values (a duplicate key's value, say). Here only a Switchboard exception's
 * message, which is PII-free by contract, is kept; causes appear by class name only.
 */
final class SafeExceptions {

    /** Stack frames kept per throwable: enough to locate the caller, bounded for span size. */
    private static final int MAX_FRAMES = 64;
    private static final int MAX_CAUSES = 8;

    private SafeExceptions() {
    }

    /**
     * The event attributes for a failure: the exception the caller receives. Its message is kept only
     * when it is a Switchboard exception (PII-free by contract); a driver exception appears by class
     * name and stack only.
     *
     * @param shown the exception the caller receives, or {@code null}
     */
    static Attributes eventAttributes(Throwable shown) {
        AttributesBuilder b = Attributes.builder();
        if (shown == null) {
            return b.build();
        }
        boolean safeMessage = shown instanceof DataAccessException;
        b.put(SemconvKeys.EXCEPTION_TYPE, shown.getClass().getName());
        if (safeMessage && shown.getMessage() != null) {
            b.put(SemconvKeys.EXCEPTION_MESSAGE, shown.getMessage());
        }
        b.put(SemconvKeys.EXCEPTION_STACKTRACE, stackTrace(shown, safeMessage));
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
