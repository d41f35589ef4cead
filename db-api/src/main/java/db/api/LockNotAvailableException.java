package db.api;

/**
 * A lock could not be had within {@code lock_timeout} or with {@code NOWAIT} (55P03).
 */
public class LockNotAvailableException extends TransientDataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public LockNotAvailableException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public LockNotAvailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public LockNotAvailableException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
