package db.api;

/**
 * The server or the driver refused the connection for a reason a new attempt does not fix: how it was set up
 * (08004 sqlserver_rejected_establishment, which pgjdbc uses for "the server does not support SSL" and "no
 * password was supplied"), or the database is gone (57P04 database_dropped; a reconnect only gets 3D000).
 * Not retryable.
 */
public class ConnectionRejectedException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public ConnectionRejectedException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public ConnectionRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An exception with a message, a cause and what the server said.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     * @param details what the server reported (SQLSTATE, constraint, table, ...); {@code null} means none
     */
    public ConnectionRejectedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
