package db.api.spi;

import db.api.DatabaseTarget;
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
 * @param server        the server of the connection it runs on: with a multi-host URL the host the driver
 *                      connected to (after a failover, the new primary), else the pool's
 *                      {@link InstrumentationContext#target()}; {@code null} when not known (then that
 *                      target applies)
 */
public record QueryContext(String sql, boolean parameterized, int batchSize, boolean batch, DatabaseTarget server) {

    /**
     * Validates the parts.
     *
     * @param sql the SQL text as the application wrote it (it may contain literals); for a {@code Statement}
     *     batch, its statements joined with {@code "; "}
     * @param parameterized whether it ran as a prepared statement with bind parameters; if so its text
     *     carries no values, else literals must be sanitized before recording it
     * @param batchSize the number of statements or parameter sets in a batch; 0 when not a batch (or an
     *     empty batch)
     * @param batch whether this is an {@code executeBatch} call, even one with 0 or 1 entries
     * @param server the server of the connection it runs on: with a multi-host URL the host the driver
     *     connected to (after a failover, the new primary), else the pool's {@link
     *     InstrumentationContext#target()}; {@code null} when not known (then that target applies)
     */
    public QueryContext {
        Objects.requireNonNull(sql, "sql");
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize < 0");
        }
    }

    /**
     * A statement, or a batch when {@code batchSize > 0}, on a server not known here.
     *
     * @param sql the SQL text as the application wrote it (it may contain literals); for a {@code Statement}
     *     batch, its statements joined with {@code "; "}
     * @param parameterized whether it ran as a prepared statement with bind parameters; if so its text
     *     carries no values, else literals must be sanitized before recording it
     * @param batchSize the number of statements or parameter sets in a batch; 0 when not a batch (or an
     *     empty batch)
     */
    public QueryContext(String sql, boolean parameterized, int batchSize) {
        this(sql, parameterized, batchSize, batchSize > 0, null);
    }

    /**
     * A statement or an {@code executeBatch} call on a server not known here.
     *
     * @param sql the SQL text as the application wrote it (it may contain literals); for a {@code Statement}
     *     batch, its statements joined with {@code "; "}
     * @param parameterized whether it ran as a prepared statement with bind parameters; if so its text
     *     carries no values, else literals must be sanitized before recording it
     * @param batchSize the number of statements or parameter sets in a batch; 0 when not a batch (or an
     *     empty batch)
     * @param batch whether this is an {@code executeBatch} call, even one with 0 or 1 entries
     */
    public QueryContext(String sql, boolean parameterized, int batchSize, boolean batch) {
        this(sql, parameterized, batchSize, batch, null);
    }

    /** {@return whether this is a batch execution (an {@code executeBatch} call, possibly empty)} */
    public boolean isBatch() {
        return batch;
    }
}
