package db.api.spi;

import db.api.DataAccessException;
import java.sql.SQLException;

/**
 * How a statement execution ended.
 *
 * @param rows   the update count or the number of rows of a batch, {@code -1} when unknown or a query
 * @param error  the driver's exception, or {@code null} on success
 * @param mapped {@code error} mapped to Switchboard's hierarchy (PII-free message), or {@code null}
 * @param callerGetsMapped whether the code that ran the statement receives {@code mapped} (the
 *               session's helpers, {@code inTransaction}) rather than the driver's {@code error} (JDBC code
 *               on {@code Session.connection()} or {@code dataSource()})
 */
public record QueryOutcome(long rows, SQLException error, DataAccessException mapped, boolean callerGetsMapped) {

    /**
     * An outcome whose caller receives {@code mapped} when there is one.
     *
     * @param rows the update count or the number of rows of a batch, {@code -1} when unknown or a query
     * @param error the driver's exception, or {@code null} on success
     * @param mapped {@code error} mapped to Switchboard's hierarchy (PII-free message), or {@code null}
     */
    public QueryOutcome(long rows, SQLException error, DataAccessException mapped) {
        this(rows, error, mapped, mapped != null);
    }

    /** {@return the exception the caller receives: {@code mapped} or {@code error}; {@code null} on success} */
    public Exception thrown() {
        return callerGetsMapped && mapped != null ? mapped : error;
    }

    /**
     * {@return a success with an unknown row count}
     *
     * @param rows the update count or the number of rows of a batch, {@code -1} when unknown or a query
     */
    public static QueryOutcome success(long rows) {
        return new QueryOutcome(rows, null, null);
    }

    /** {@return whether the statement succeeded} */
    public boolean succeeded() {
        return error == null;
    }

    /** {@return the failure's SQLSTATE, or {@code null}} */
    public String sqlState() {
        if (mapped != null && mapped.sqlState() != null) {
            return mapped.sqlState();
        }
        return error == null ? null : error.getSQLState();
    }
}
