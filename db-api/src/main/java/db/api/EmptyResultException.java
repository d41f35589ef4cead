package db.api;

/** A query expected exactly one row and got none ({@link Session#querySingle}). */
public class EmptyResultException extends IncorrectResultSizeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong, in words for the log (never a password or row values)
     */
    public EmptyResultException(String message) {
        super(message);
    }
}
