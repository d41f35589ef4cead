package db.api.spi;

import db.api.Session;
import db.api.TxOptions;
import java.sql.Connection;

/**
 * A transaction bound to a thread (see {@link ThreadTransactions}). Used on that thread only; implemented
 * by the engine.
 */
public interface BoundTransaction {

    /**
     * The options it was begun with.
     *
     * @return the transaction's options
     */
    TxOptions options();

    /**
     * Whether a framework began it through {@link ThreadTransactions#begin(TxOptions)} and so ends it with
     * {@link #commit()} or {@link #rollback()}; false for the one {@code Database.inTransaction} runs, which
     * that call commits or rolls back when its work returns.
     *
     * @return whether the caller of {@code begin} ends it
     */
    boolean external();

    /**
     * The session the transaction runs on; closing it does not end the transaction.
     *
     * @return the transaction's session
     */
    Session session();

    /**
     * The session's instrumented JDBC connection: statements run through it are traced and part of the
     * transaction; closing it closes only this handle (the next call returns a new one on the same
     * connection).
     *
     * @return a handle on the transaction's connection
     */
    Connection connection();

    /**
     * Marks the transaction so that it can only roll back: an {@link #external()} one refuses to commit; the
     * one {@code inTransaction} runs rolls back when its work returns and throws
     * {@link db.api.TransactionStateException}. For a participant that failed but whose exception was caught.
     */
    void setRollbackOnly();

    /**
     * Whether {@link #setRollbackOnly()} was called.
     *
     * @return true when it can only roll back
     */
    boolean isRollbackOnly();

    /**
     * Commits, gives the connection back and unbinds the transaction from the thread.
     *
     * @throws db.api.TransactionStateException          when it was marked rollback-only (it is rolled back)
     * @throws db.api.TransactionOutcomeUnknownException when the connection failed while COMMIT was in flight
     * @throws db.api.DataAccessException                when COMMIT failed (the transaction is over either way)
     * @throws IllegalStateException                     when it is not {@link #external()} or already ended
     */
    void commit();

    /**
     * Rolls back, gives the connection back and unbinds the transaction from the thread. Does nothing when it
     * already ended (a failed {@link #commit()} ended it).
     *
     * @throws db.api.DataAccessException when ROLLBACK failed (the connection is discarded, so nothing stays open)
     * @throws IllegalStateException      when it is not {@link #external()}
     */
    void rollback();

    /**
     * Whether it was committed or rolled back.
     *
     * @return true once it ended
     */
    boolean completed();
}
