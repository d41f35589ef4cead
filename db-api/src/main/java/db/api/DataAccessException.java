package db.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Root of every exception Switchboard throws. Unchecked, like Spring's
 * {@code DataAccessException}: repositories need not declare it, and callers catch the family
 * they can act on ({@link IntegrityViolationException}, {@link TransientDataAccessException}, ...).
 *
 * <p>The driver's {@link java.sql.SQLException} is the {@linkplain #getCause() cause}. The message
 * never contains row values from the server's DETAIL unless the application opted in.
 */
public class DataAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorDetails details;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public DataAccessException(String message) {
        this(message, null, ErrorDetails.NONE);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public DataAccessException(String message, Throwable cause) {
        this(message, cause, ErrorDetails.NONE);
    }

    /**
     * An exception with a message, a cause and what the server said.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     * @param details what the server reported (SQLSTATE, constraint, table, ...); {@code null} means none
     */
    public DataAccessException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause);
        this.details = Objects.requireNonNullElse(details, ErrorDetails.NONE);
    }

    /** {@return the SQLSTATE, or {@code null} when there was none (a pool timeout, say)} */
    public String sqlState() {
        return details.sqlState();
    }

    /** {@return whether running the same unit of work again, in a new transaction, may succeed} */
    public boolean isRetryable() {
        return false;
    }

    /** {@return the violated constraint's name, when the server sent one} */
    public Optional<String> constraint() {
        return Optional.ofNullable(details.constraint());
    }

    /** {@return the table's name, when the server sent one} */
    public Optional<String> table() {
        return Optional.ofNullable(details.table());
    }

    /** {@return the column's name, when the server sent one} */
    public Optional<String> column() {
        return Optional.ofNullable(details.column());
    }

    /** {@return the schema's name, when the server sent one} */
    public Optional<String> schema() {
        return Optional.ofNullable(details.schema());
    }

    /**
     * The server's DETAIL text (it may contain row values), present only when the application
     * set {@code db.errors.include-detail=true}.
     *
     * @return the DETAIL text, or empty when the server sent none or the application did not opt in
     */
    public Optional<String> detail() {
        return details.detailText();
    }

    /** {@return everything above as one value} */
    public ErrorDetails details() {
        return details;
    }
}
