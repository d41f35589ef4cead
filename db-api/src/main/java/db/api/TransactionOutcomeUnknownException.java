package db.api;

/**
 * The connection broke after COMMIT was sent, so whether the transaction committed is unknown. Never retried automatically: check the data, then decide.
 */
public class TransactionOutcomeUnknownException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public TransactionOutcomeUnknownException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public TransactionOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public TransactionOutcomeUnknownException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
