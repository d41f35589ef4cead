package db.api;

/**
 * A session was requested from a {@link Database} that is closed.
 */
public class PoolClosedException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public PoolClosedException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public PoolClosedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public PoolClosedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
