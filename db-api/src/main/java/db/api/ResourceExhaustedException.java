package db.api;

/**
 * The server ran out of a resource (class 53 except 53300, and 54).
 */
public class ResourceExhaustedException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public ResourceExhaustedException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public ResourceExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public ResourceExhaustedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
