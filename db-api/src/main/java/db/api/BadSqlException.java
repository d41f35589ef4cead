package db.api;

/**
 * The SQL is wrong: syntax, an undefined object, a wrong type (class 42 except 42501, and 26, 34, 3D,
 * 3F; also 0A feature not supported, 0L, 0P, 0Z, 2B dependent objects, 2F, and pgjdbc's 07, 0100E,
 * 02000). See {@link db.api.spi.SqlStateFamily#BAD_SQL}.
 */
public class BadSqlException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public BadSqlException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public BadSqlException(String message, Throwable cause) {
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
    public BadSqlException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
