package db.core.engine;

import db.core.tls.TlsRejection;
import db.api.DataAccessException;
import db.api.ErrorDetails;
import db.api.spi.ErrorContext;
import db.api.spi.ErrorMapper;
import db.core.support.ExceptionChain;
import db.api.spi.SqlStateFamily;
import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Optional;

/**
 * The last mapper in the chain: maps any {@link SQLException} by its SQLSTATE alone, through
 * {@link SqlStateFamily#of(String, ErrorContext)}, then, when the SQLSTATE names no family, by the JDBC 4
 * exception subclass ({@link #bySubclass(SQLException)}), so every driver error becomes a
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
        if (family == SqlStateFamily.UNCATEGORIZED) {
            family = bySubclass(exception);
        }
        String message = (sqlState == null ? "no SQLSTATE" : "SQLSTATE " + sqlState)
                + " (" + source.getClass().getName() + ")";
        for (Throwable t : ExceptionChain.of(exception)) {
            if (t instanceof TlsRejection) {
                // the core's own message: names files, certificates and hosts, never values or secrets
                family = SqlStateFamily.TLS_REJECTED;
                message = t.getMessage();
                break;
            }
        }
        return Optional.of(family.newException(message, exception, ErrorDetails.ofSqlState(sqlState)));
    }

    /**
     * The family the JDBC 4 exception subclasses say, as Spring's {@code SQLExceptionSubclassTranslator}
     * reads them, for drivers and pools that throw them without a SQLSTATE we know (a pool's "connection
     * is closed"): the first subclass found in the chain decides; {@link SqlStateFamily#UNCATEGORIZED}
     * when none is there.
     */
    static SqlStateFamily bySubclass(SQLException exception) {
        for (Throwable t : ExceptionChain.of(exception)) {
            SqlStateFamily family = subclassFamily(t);
            if (family != SqlStateFamily.UNCATEGORIZED) {
                return family;
            }
        }
        return SqlStateFamily.UNCATEGORIZED;
    }

    private static SqlStateFamily subclassFamily(Throwable t) {
        if (t instanceof SQLTimeoutException) {
            return SqlStateFamily.QUERY_TIMEOUT;
        }
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException) {
            return SqlStateFamily.CONNECTION;
        }
        if (t instanceof SQLTransactionRollbackException || t instanceof SQLTransientException) {
            return SqlStateFamily.TRANSIENT;
        }
        if (t instanceof SQLInvalidAuthorizationSpecException) {
            return SqlStateFamily.AUTHENTICATION;
        }
        if (t instanceof SQLIntegrityConstraintViolationException) {
            return SqlStateFamily.INTEGRITY_VIOLATION;
        }
        if (t instanceof SQLDataException) {
            return SqlStateFamily.DATA;
        }
        if (t instanceof SQLSyntaxErrorException || t instanceof SQLFeatureNotSupportedException) {
            return SqlStateFamily.BAD_SQL;
        }
        return SqlStateFamily.UNCATEGORIZED;
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
