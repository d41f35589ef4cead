package db.api;

/**
 * The thread was interrupted while it waited for a connection. No connection was taken and the
 * thread's interrupt flag is set again, so the code that interrupted it sees what it asked for.
 */
public class CheckoutInterruptedException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public CheckoutInterruptedException(String message) {
        super(message);
    }
}
