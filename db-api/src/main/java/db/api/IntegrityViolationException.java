package db.api;

/**
 * A constraint of the data model was violated (SQLSTATE class 23, also 27 and 44).
 */
public class IntegrityViolationException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public IntegrityViolationException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public IntegrityViolationException(String message, Throwable cause) {
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
    public IntegrityViolationException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
