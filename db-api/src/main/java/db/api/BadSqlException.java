package db.api;

/**
 * The SQL is wrong: syntax, an undefined object, a wrong type (class 42 except 42501, and 26, 34, 3D,
 * 3F; also 0A feature not supported, 0L, 0P, 0Z, 2B dependent objects, 2F, and pgjdbc's 07, 0100E,
 * 02000). See {@link db.api.spi.SqlStateFamily#BAD_SQL}.
 */
public class BadSqlException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public BadSqlException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public BadSqlException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public BadSqlException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
