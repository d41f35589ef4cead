package db.api;

/**
 * A unique or primary-key constraint was violated (23505). {@link #constraint()} names it.
 */
public class DuplicateKeyException extends IntegrityViolationException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public DuplicateKeyException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public DuplicateKeyException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
