package db.api;

/**
 * A constraint of the data model was violated (SQLSTATE class 23, also 27 and 44).
 */
public class IntegrityViolationException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public IntegrityViolationException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public IntegrityViolationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public IntegrityViolationException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
