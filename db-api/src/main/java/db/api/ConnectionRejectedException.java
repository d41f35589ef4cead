package db.api;

/**
 * The server or the driver refused the connection for a reason a new attempt does not fix: how it was set up (08004 sqlserver_rejected_establishment, which pgjdbc uses for "the server does not support SSL" and "no password was supplied"), or the database is gone (57P04 database_dropped; a reconnect only gets 3D000). Not retryable.
 */
public class ConnectionRejectedException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public ConnectionRejectedException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public ConnectionRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public ConnectionRejectedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
