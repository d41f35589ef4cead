package db.api;

/**
 * A unit of work run inside a transaction that returns nothing. It may run more than once when
 * retries are on.
 */
@FunctionalInterface
public interface TransactionAction {

    /** Runs the work on a session whose transaction is open. */
    void run(Session session) throws Exception;
}
