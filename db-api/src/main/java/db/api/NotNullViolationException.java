package db.api;

/**
 * A NOT NULL constraint was violated (23502). {@link #column()} names the column.
 */
public class NotNullViolationException extends IntegrityViolationException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public NotNullViolationException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public NotNullViolationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public NotNullViolationException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
