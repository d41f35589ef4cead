package db.api.spi;

import java.util.Objects;

/**
 * One statement execution, as an instrumenter sees it.
 *
 * @param sql           the SQL text as the application wrote it (it may contain literals); for a
 *                      {@code Statement} batch, its statements joined with {@code "; "}
 * @param parameterized whether it ran as a prepared statement with bind parameters; if so its text
 *                      carries no values, else literals must be sanitized before recording it
 * @param batchSize     the number of statements or parameter sets in a batch; 0 when not a batch (or
 *                      an empty batch)
 * @param batch         whether this is an {@code executeBatch} call, even one with 0 or 1 entries
 */
public record QueryContext(String sql, boolean parameterized, int batchSize, boolean batch) {

    /** Validates the parts. */
    public QueryContext {
        Objects.requireNonNull(sql, "sql");
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize < 0");
        }
    }

    /** A statement, or a batch when {@code batchSize > 0}. */
    public QueryContext(String sql, boolean parameterized, int batchSize) {
        this(sql, parameterized, batchSize, batchSize > 0);
    }

    /** Whether this is a batch execution (an {@code executeBatch} call, possibly empty). */
    public boolean isBatch() {
        return batch;
    }
}
