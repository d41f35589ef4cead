package db.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What the core knows about the failed operation, beyond the exception itself.
 *
 * @param includeDetail    whether the application opted in to the server's DETAIL text
 *                         ({@code db.errors.include-detail=true}); it may contain row values
 * @param elapsed          how long the failed call ran ({@link Duration#ZERO} when unknown)
 * @param queryTimeout     the JDBC query timeout set on the statement ({@link Duration#ZERO}: none)
 * @param statementTimeout the configured {@code db.statement-timeout} ({@link Duration#ZERO}: none)
 */
public record ErrorContext(boolean includeDetail, Duration elapsed, Duration queryTimeout,
                           Duration statementTimeout) {

    /** A context that knows nothing and excludes the DETAIL. */
    public static final ErrorContext DEFAULT =
            new ErrorContext(false, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /**
     * Validates the parts.
     *
     * @param includeDetail whether the application opted in to the server's DETAIL text ({@code
     *     db.errors.include-detail=true}); it may contain row values
     * @param elapsed how long the failed call ran ({@link Duration#ZERO} when unknown)
     * @param queryTimeout the JDBC query timeout set on the statement ({@link Duration#ZERO}: none)
     * @param statementTimeout the configured {@code db.statement-timeout} ({@link Duration#ZERO}: none)
     */
    public ErrorContext {
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
    }

    /** {@return whether a JDBC query timeout was set and the call ran at least that long} */
    public boolean queryTimeoutElapsed() {
        return !queryTimeout.isZero() && elapsed.compareTo(queryTimeout) >= 0;
    }
}
