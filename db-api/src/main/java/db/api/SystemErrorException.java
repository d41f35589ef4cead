package db.api;

/**
 * The server hit an error outside PostgreSQL itself (class 58: system_error, io_error, undefined_file,
 * duplicate_file): a disk, a file or the operating system. Not retryable: look at the server.
 */
public class SystemErrorException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public SystemErrorException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public SystemErrorException(String message, Throwable cause) {
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
    public SystemErrorException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
