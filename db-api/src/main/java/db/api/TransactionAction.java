package db.api;

/**
 * A unit of work run inside a transaction that returns nothing. It may run more than once when
 * retries are on.
 */
@FunctionalInterface
public interface TransactionAction {

    /**
     * Runs the work on a session whose transaction is open.
     *
     * @param session the session of the open transaction; valid until {@code run} returns
     * @throws java.lang.Exception anything: the transaction rolls back and the exception is rethrown mapped
     */
    void run(Session session) throws Exception;
}
