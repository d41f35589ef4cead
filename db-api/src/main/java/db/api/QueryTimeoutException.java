package db.api;

/**
 * A statement ran past {@code statement_timeout} or the JDBC query timeout (57014 caused by a timeout).
 */
public class QueryTimeoutException extends TransientDataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public QueryTimeoutException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public QueryTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public QueryTimeoutException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
