package db.api;

/**
 * The transaction could not be serialized with concurrent ones (40001); retry it.
 */
public class SerializationFailureException extends TransientDataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public SerializationFailureException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public SerializationFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public SerializationFailureException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
