package db.api;

/**
 * A unit of work run inside a transaction. It may run more than once when retries are on, so it
 * should have no effects outside the database, or idempotent ones.
 *
 * @param <T> what it returns
 */
@FunctionalInterface
public interface TransactionWork<T> {

    /**
     * Runs the work on a session whose transaction is open.
     *
     * @param session the session of the open transaction; valid until {@code run} returns
     * @return the result handed back to the caller of {@code inTransaction}
     * @throws java.lang.Exception anything: the transaction rolls back and the exception is rethrown mapped
     */
    T run(Session session) throws Exception;
}
