package db.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Root of every exception Switchboard throws. Unchecked, like Spring's
 * {@code DataAccessException}: repositories need not declare it, and callers catch the family
 * they can act on ({@link IntegrityViolationException}, {@link TransientDataAccessException}, ...).
 *
 * <p>The driver's {@link java.sql.SQLException} is the {@linkplain #getCause() cause}. The message
 * never contains row values from the server's DETAIL unless the application opted in.
 */
public class DataAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorDetails details;

    /** An exception with a message and no cause. */
    public DataAccessException(String message) {
        this(message, null, ErrorDetails.NONE);
    }

    /** An exception with a message and a cause. */
    public DataAccessException(String message, Throwable cause) {
        this(message, cause, ErrorDetails.NONE);
    }

    /** An exception with a message, a cause and what the server said. */
    public DataAccessException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause);
        this.details = Objects.requireNonNullElse(details, ErrorDetails.NONE);
    }

    /** The SQLSTATE, or {@code null} when there was none (a pool timeout, say). */
    public String sqlState() {
        return details.sqlState();
    }

    /** Whether running the same unit of work again, in a new transaction, may succeed. */
    public boolean isRetryable() {
        return false;
    }

    /** The violated constraint's name, when the server sent one. */
    public Optional<String> constraint() {
        return Optional.ofNullable(details.constraint());
    }

    /** The table's name, when the server sent one. */
    public Optional<String> table() {
        return Optional.ofNullable(details.table());
    }

    /** The column's name, when the server sent one. */
    public Optional<String> column() {
        return Optional.ofNullable(details.column());
    }

    /** The schema's name, when the server sent one. */
    public Optional<String> schema() {
        return Optional.ofNullable(details.schema());
    }

    /**
     * The server's DETAIL text (it may contain row values), present only when the application
     * set {@code db.errors.include-detail=true}.
     */
    public Optional<String> detail() {
        return details.detailText();
    }

    /** Everything above as one value. */
    public ErrorDetails details() {
        return details;
    }
}
