package db.api;

/**
 * A CHECK constraint was violated (23514).
 */
public class CheckViolationException extends IntegrityViolationException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public CheckViolationException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public CheckViolationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public CheckViolationException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
