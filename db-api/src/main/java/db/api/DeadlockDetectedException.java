package db.api;

/**
 * The server broke a deadlock by aborting this transaction (40P01); retry it.
 */
public class DeadlockDetectedException extends TransientDataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public DeadlockDetectedException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public DeadlockDetectedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public DeadlockDetectedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
