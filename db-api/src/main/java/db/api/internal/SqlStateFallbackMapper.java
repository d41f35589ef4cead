package db.api.internal;

import db.api.DataAccessException;
import db.api.ErrorDetails;
import db.api.spi.ErrorContext;
import db.api.spi.ErrorMapper;
import db.api.spi.ExceptionChain;
import db.api.spi.SqlStateFamily;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The last mapper in the chain: maps any {@link SQLException} by its SQLSTATE alone, through
 * {@link SqlStateFamily#of(String, ErrorContext)}, so every driver error becomes a
 * {@link DataAccessException} even with no mapper module present. It always answers; a missing or
 * unknown SQLSTATE gives an {@link db.api.UncategorizedDataAccessException} that still carries it.
 *
 * <p>It knows no driver: it reads no server fields and never copies the driver's message, because
 * drivers put row values in it (pgjdbc appends the server's DETAIL). The message is the SQLSTATE and
 * the class of the exception it came from. The SQLSTATE is taken from the first exception in the
 * chain (the exception, its {@link SQLException#getNextException() next exceptions} and causes) that
 * has one, preferring a real cause over a {@link BatchUpdateException}. The result's cause is the
 * exception given to {@link #map}.
 */
public final class SqlStateFallbackMapper implements ErrorMapper {

    /** A fallback mapper; it holds no state. */
    public SqlStateFallbackMapper() {
        // stateless
    }

    @Override
    public String name() {
        return "sqlstate-class";
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Optional<DataAccessException> map(SQLException exception, ErrorContext context) {
        SQLException source = sourceOf(exception);
        String sqlState = source.getSQLState();
        SqlStateFamily family = SqlStateFamily.of(sqlState, context == null ? ErrorContext.DEFAULT : context);
        String message = (sqlState == null ? "no SQLSTATE" : "SQLSTATE " + sqlState)
                + " (" + source.getClass().getName() + ")";
        return Optional.of(family.newException(message, exception, ErrorDetails.ofSqlState(sqlState)));
    }

    /** The first exception in the chain with a SQLSTATE, a real cause before a batch wrapper. */
    static SQLException sourceOf(SQLException exception) {
        SQLException batchWithState = null;
        for (Throwable t : ExceptionChain.of(exception)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                if (!(sql instanceof BatchUpdateException)) {
                    return sql;
                }
                if (batchWithState == null) {
                    batchWithState = sql;
                }
            }
        }
        return batchWithState != null ? batchWithState : exception;
    }
}
