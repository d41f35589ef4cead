package db.api.spi;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import java.time.Duration;

/**
 * One transaction in flight, observed from its first attempt to its outcome. Every method is called on
 * the thread that runs the transaction, so an observation may make a tracing context current in
 * {@link Instrumentation#beginTransaction} and close it in {@link #end}. Every method has a do-nothing
 * default.
 */
public interface TransactionObservation {

    /** An observation that ignores everything. */
    TransactionObservation NOOP = new TransactionObservation() {
    };

    /** How a transaction ended. */
    enum Outcome {
        /** COMMIT succeeded. */
        COMMITTED,
        /** The transaction was rolled back (the work failed, or COMMIT failed on the server). */
        ROLLED_BACK,
        /** The connection failed while COMMIT was in flight: it may or may not have committed. */
        UNKNOWN
    }

    /**
     * An attempt failed and the transaction will be tried again after {@code backoff}.
     *
     * @param attempt the attempt that failed (1-based)
     * @param failure what it failed with (mapped)
     * @param backoff the pause before the next attempt
     */
    default void retry(int attempt, DataAccessException failure, Duration backoff) {
        // nothing by default
    }

    /**
     * COMMIT is about to be sent; the returned observation is told how it went. The core calls
     * {@link #beforeCommit(DatabaseTarget)}, whose default calls this: implement either.
     *
     * @return the observation to tell how COMMIT went; never {@code null}
     */
    default QueryObservation beforeCommit() {
        return QueryObservation.NOOP;
    }

    /**
     * COMMIT is about to be sent on a connection to {@code server}; the returned observation is told how it
     * went. This is what the core calls; by default it calls {@link #beforeCommit()}.
     *
     * @param server the host the transaction's connection is on, as in {@link QueryContext#server()}: with a
     *               multi-host URL the one the driver connected to; {@code null} when not known
     * @return the observation to tell how COMMIT went; never {@code null}
     */
    default QueryObservation beforeCommit(DatabaseTarget server) {
        return beforeCommit();
    }

    /**
     * ROLLBACK is about to be sent; the returned observation is told how it went. The core calls
     * {@link #beforeRollback(DatabaseTarget)}, whose default calls this: implement either.
     *
     * @return the observation to tell how ROLLBACK went; never {@code null}
     */
    default QueryObservation beforeRollback() {
        return QueryObservation.NOOP;
    }

    /**
     * ROLLBACK is about to be sent on a connection to {@code server}; the returned observation is told how it
     * went. This is what the core calls; by default it calls {@link #beforeRollback()}.
     *
     * @param server the host the attempt's connection is on, as in {@link #beforeCommit(DatabaseTarget)}
     * @return the observation to tell how ROLLBACK went; never {@code null}
     */
    default QueryObservation beforeRollback(DatabaseTarget server) {
        return beforeRollback();
    }

    /**
     * The transaction is over. Called exactly once.
     *
     * @param outcome  how it ended
     * @param attempts how many attempts ran (1 when it was not retried)
     * @param failure  what the caller of {@code inTransaction} receives, or {@code null} when committed
     */
    default void end(Outcome outcome, int attempts, Throwable failure) {
        // nothing by default
    }
}
