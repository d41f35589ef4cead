package db.api;

/**
 * A statement was canceled on purpose, by {@code Statement.cancel()} or {@code pg_cancel_backend} (57014 not caused by a timeout).
 */
public class QueryCanceledException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public QueryCanceledException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public QueryCanceledException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public QueryCanceledException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
