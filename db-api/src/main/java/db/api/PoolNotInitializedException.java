package db.api;

/**
 * A session was requested from {@link Db} before {@link Db#init(DbConfig)} was called.
 */
public class PoolNotInitializedException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public PoolNotInitializedException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public PoolNotInitializedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public PoolNotInitializedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
