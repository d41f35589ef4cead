package db.api;

/**
 * The server refused the credentials (class 28).
 */
public class AuthenticationException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public AuthenticationException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public AuthenticationException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
