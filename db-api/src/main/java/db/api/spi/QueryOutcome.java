package db.api.spi;

import db.api.DataAccessException;
import java.sql.SQLException;

/**
 * How a statement execution ended.
 *
 * @param rows   the update count or the number of rows of a batch, {@code -1} when unknown or a query
 * @param error  the driver's exception, or {@code null} on success
 * @param mapped {@code error} mapped to Switchboard's hierarchy (PII-free message), or {@code null}
 */
public record QueryOutcome(long rows, SQLException error, DataAccessException mapped) {

    /** A success with an unknown row count. */
    public static QueryOutcome success(long rows) {
        return new QueryOutcome(rows, null, null);
    }

    /** Whether the statement succeeded. */
    public boolean succeeded() {
        return error == null;
    }

    /** The failure's SQLSTATE, or {@code null}. */
    public String sqlState() {
        if (mapped != null && mapped.sqlState() != null) {
            return mapped.sqlState();
        }
        return error == null ? null : error.getSQLState();
    }
}
