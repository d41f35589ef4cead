package db.api;

/**
 * No pooled connection became free within the checkout timeout ({@code db.pool.checkout-timeout}).
 */
public class PoolExhaustedException extends TransientDataAccessException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public PoolExhaustedException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public PoolExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a message, a cause and what the server said. */
    public PoolExhaustedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
