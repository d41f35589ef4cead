package db.api;

/**
 * A query expected at most one row and got more, or PL/pgSQL's {@code SELECT INTO STRICT} got none or
 * several (P0002, P0003).
 */
public class IncorrectResultSizeException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public IncorrectResultSizeException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public IncorrectResultSizeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public IncorrectResultSizeException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
