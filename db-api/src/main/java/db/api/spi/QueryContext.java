package db.api.spi;

import java.util.Objects;

/**
 * One statement execution, as an instrumenter sees it.
 *
 * @param sql           the SQL text as the application wrote it (it may contain literals)
 * @param parameterized whether it ran as a prepared statement with bind parameters; if so its text
 *                      carries no values, else literals must be sanitized before recording it
 * @param batchSize     the number of statements or parameter sets in a batch; 0 when not a batch
 */
public record QueryContext(String sql, boolean parameterized, int batchSize) {

    /** Validates the parts. */
    public QueryContext {
        Objects.requireNonNull(sql, "sql");
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize < 0");
        }
    }

    /** Whether this is a batch execution. */
    public boolean isBatch() {
        return batchSize > 0;
    }
}
