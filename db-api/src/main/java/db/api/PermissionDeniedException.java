package db.api;

/**
 * The role lacks a privilege (42501).
 */
public class PermissionDeniedException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public PermissionDeniedException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public PermissionDeniedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
