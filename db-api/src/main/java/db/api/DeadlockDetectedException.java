package db.api;

/**
 * The server broke a deadlock by aborting this transaction (40P01); retry it.
 */
public class DeadlockDetectedException extends TransientDataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public DeadlockDetectedException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public DeadlockDetectedException(String message, Throwable cause) {
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
    public DeadlockDetectedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
