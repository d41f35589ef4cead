package db.api;

/**
 * The transaction is in a state that forbids the operation (class 25, 2D, 3B, and 40 other than
 * 40001/40P01; also 0B, 24 cursor state, and 55 other than 55P03: an object is not in the state the
 * statement needs).
 */
public class TransactionStateException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public TransactionStateException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public TransactionStateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public TransactionStateException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
