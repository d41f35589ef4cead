package db.api;

/**
 * The transaction is in a state that forbids the operation (class 25, 2D, 3B, and 40 other than
 * 40001/40P01; also 0B, 24 cursor state, and 55 other than 55P03: an object is not in the state the
 * statement needs).
 */
public class TransactionStateException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public TransactionStateException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public TransactionStateException(String message, Throwable cause) {
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
    public TransactionStateException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
