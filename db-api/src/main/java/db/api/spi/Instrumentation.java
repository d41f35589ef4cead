package db.api.spi;

/**
 * An instrumenter bound to one database: told before every statement, and about pool events.
 * Thread-safe; called on the application's threads, so it must be quick and must not throw.
 */
public interface Instrumentation extends AutoCloseable {

    /** An instrumentation that observes nothing. */
    Instrumentation NOOP = query -> QueryObservation.NOOP;

    /**
     * Called right before a statement executes, on the executing thread (so the caller's tracing
     * context is current). The returned observation is told the outcome.
     *
     * @param query the statement about to run
     * @return the observation to tell the outcome; never {@code null}
     */
    QueryObservation beforeQuery(QueryContext query);

    /**
     * Called when an outermost {@code Database.inTransaction} starts, on its thread, before its first attempt
     * borrows a connection. The returned observation is told about retries, COMMIT and ROLLBACK, and the
     * outcome. Not called at all when no instrumenter is present.
     *
     * <p>A read-only transaction that read routing may send to a standby is the exception: it is begun once
     * its first attempt has a connection, on the instrumentation of the pool that lent it (a standby's, or
     * the primary's when it fell back there or got none), so that pool reports it.
     *
     * @param transaction the transaction that starts
     * @return the observation of this transaction; never {@code null}
     */
    default TransactionObservation beginTransaction(TransactionContext transaction) {
        return TransactionObservation.NOOP;
    }

    /**
     * Called for pool events: checkout waits, use times, timeouts, connection creation, leaks.
     *
     * @param event what happened in the pool
     */
    default void poolEvent(PoolEvent event) {
        // most instrumenters care only for queries
    }

    /**
     * Lets an instrumenter annotate the SQL text before it is sent, e.g. with a sqlcommenter
     * {@code traceparent} comment. Called only while a statement is being prepared or executed.
     * Returns {@code sql} unchanged by default.
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @return the SQL text to send
     */
    default String rewrite(String sql) {
        return sql;
    }

    /** Releases what {@link QueryInstrumenter#open} set up (metric callbacks, say). */
    @Override
    default void close() {
        // nothing held by default
    }
}
