package db.api;

/** A query expected exactly one row and got none ({@link Session#querySingle}). */
public class EmptyResultException extends IncorrectResultSizeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and no cause. */
    public EmptyResultException(String message) {
        super(message);
    }
}
