package db.api;

/**
 * A failure no mapper put in a family. It still carries its {@link #sqlState()}.
 */
public class UncategorizedDataAccessException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public UncategorizedDataAccessException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public UncategorizedDataAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public UncategorizedDataAccessException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
