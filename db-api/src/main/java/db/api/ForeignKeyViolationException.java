package db.api;

/**
 * A foreign-key constraint was violated (23503), or a restrict rule (23001).
 */
public class ForeignKeyViolationException extends IntegrityViolationException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public ForeignKeyViolationException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public ForeignKeyViolationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public ForeignKeyViolationException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
