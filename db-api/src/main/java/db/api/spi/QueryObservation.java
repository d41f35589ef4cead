package db.api.spi;

/**
 * One observed statement execution, waiting for its outcome.
 */
@FunctionalInterface
public interface QueryObservation {

    /** An observation that ignores the outcome. */
    QueryObservation NOOP = outcome -> { };

    /**
     * Called once, right after the statement returned or threw, on the executing thread.
     *
     * @param outcome how the statement ended
     */
    void end(QueryOutcome outcome);
}
