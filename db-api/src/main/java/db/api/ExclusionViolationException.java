package db.api;

/**
 * An exclusion constraint was violated (23P01).
 */
public class ExclusionViolationException extends IntegrityViolationException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public ExclusionViolationException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public ExclusionViolationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public ExclusionViolationException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
