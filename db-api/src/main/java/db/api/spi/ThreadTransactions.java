package db.api.spi;

import db.api.TxOptions;
import java.util.Optional;

/**
 * The transactions of one {@link db.api.Database} bound to threads, for frameworks that demarcate
 * transactions themselves (Spring's transaction manager): reached through
 * {@link db.api.Database#threadTransactions()}. Implemented by the engine; applications use
 * {@link db.api.Database#inTransaction(db.api.TransactionWork)} instead.
 *
 * <p>A thread has at most one bound transaction per database: one {@link #begin(TxOptions)} opened, or the
 * one {@code Database.inTransaction} runs. While one is bound, {@code Database.inTransaction} on that thread
 * joins it through a savepoint (exactly as a nested {@code inTransaction} does) and never retries; so does
 * work of the framework that uses {@link BoundTransaction#connection()}. Thread-safe; every method acts on
 * the calling thread's binding.
 */
public interface ThreadTransactions {

    /**
     * Begins an outermost transaction and binds it to the calling thread: a session is borrowed (read-only
     * work goes to a standby when read routing is on, as in {@code inTransaction}), the isolation and
     * read-only characteristics are set, and instrumenters are told, as for {@code inTransaction}. The caller
     * must end it with {@link BoundTransaction#commit()} or {@link BoundTransaction#rollback()} on this
     * thread. {@link TxOptions#maxAttempts()} does not apply: the framework owns the unit of work, so it is
     * never retried here.
     *
     * @param options isolation and read-only; {@code maxAttempts} and the retry settings are ignored
     * @return the transaction, bound to the calling thread
     * @throws IllegalStateException when this thread already has a transaction of this database bound
     *                               ({@link #suspend()} it first)
     * @throws db.api.DataAccessException when no connection could be had or the transaction not begun
     */
    BoundTransaction begin(TxOptions options);

    /**
     * The transaction bound to the calling thread: one {@link #begin} opened, or one {@code inTransaction} runs.
     *
     * @return the bound transaction, or empty when there is none
     */
    Optional<BoundTransaction> current();

    /**
     * Unbinds the calling thread's transaction, for a framework that runs a second, independent transaction
     * meanwhile (Spring's {@code REQUIRES_NEW}); its connection stays with it. Empty when none is bound.
     * Give it back with {@link #resume(BoundTransaction)} on the same thread.
     *
     * @return the transaction that was bound, or empty when there was none
     */
    Optional<BoundTransaction> suspend();

    /**
     * Binds a transaction {@link #suspend()} returned to the calling thread again.
     *
     * @param transaction what {@link #suspend()} returned on this thread
     *
     * @throws IllegalStateException when another transaction is bound now, or {@code transaction} is not a
     *                               suspended, unfinished transaction of this database
     */
    void resume(BoundTransaction transaction);
}
