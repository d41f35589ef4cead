package db.api;

/**
 * A value was unacceptable: out of range, malformed, division by zero (class 22, 21, and 20
 * case_not_found).
 */
public class DataException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public DataException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public DataException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
