package db.core.support;

import db.api.spi.SqlStateFamily;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.ErrorDetails;
import db.api.PoolExhaustedException;
import db.core.tls.TlsRejection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The exceptions a pool provider throws when it cannot connect or lend, built in one place so that
 * every provider says the same thing in the same words. Messages name host, port, database and user,
 * never the password, and carry the driver's own reason (pgjdbc never puts the password in it).
 */
public final class PoolFailures {
    private PoolFailures() {
    }

    /**
     * A fail-fast start that could not connect, naming the target, the pool, the connect timeout and the
     * driver's reason, in the family of the driver's SQLSTATE ({@link SqlStateFamily#connectFailure}): the
     * same failure is the same exception at start and when the pool connects later. A refusal by the
     * server or driver (class 28, 3D000, a rejected startup parameter, 08004, a permanent TLS failure, which is
     * a {@link db.api.TlsRejectedException}) is not retryable; an
     * unreachable server is a retryable {@link ConnectionException}.
     *
     * @param config  the configuration the pool was started with
     * @param failure what the connect attempt threw (wrapped or not)
     * @return the exception to throw from the start
     */
    public static DataAccessException cannotConnectAtStart(DbConfig config, Throwable failure) {
        Throwable driverFailure = driverCause(failure);
        return SqlStateFamily.connectFailure("Cannot connect to PostgreSQL at " + config.target() + " (pool '"
                + config.poolName() + "', connect timeout " + config.connectTimeout().toMillis() + " ms): "
                + reason(driverFailure), driverFailure, sqlState(driverFailure));
    }

    /**
     * No connection became free within the checkout timeout while every connection was lent out.
     *
     * @param pool            the pool's name
     * @param waitedMs        how long the caller waited
     * @param checkoutTimeout the configured checkout timeout
     * @param max             the pool's maximum size
     * @param busy            connections lent out
     * @param waiting         callers waiting besides this one
     * @param cause           the pool library's own exception, or null
     * @return the exception to throw from the checkout
     */
    public static PoolExhaustedException exhausted(String pool, long waitedMs, Duration checkoutTimeout, int max,
                                                   int busy, int waiting, Throwable cause) {
        return new PoolExhaustedException("Pool '" + pool + "' exhausted: no connection became free within "
                + waitedMs + " ms (checkout timeout " + checkoutTimeout.toMillis() + " ms; max size " + max
                + ", busy " + busy + ", waiting " + waiting + ")", cause);
    }

    /**
     * The checkout timed out although the pool was not full: a connection could have been made but was
     * not, in time. Saying that the database is slow or unreachable is what helps, not "exhausted".
     *
     * @param lastConnectFailure the pool's last failed connect attempt, or null when none failed
     * @param pool the pool's name
     * @param target where the pool connects
     * @param waitedMs how long the caller waited
     * @param busy connections lent out
     * @param max the pool's maximum size
     * @param cause the pool library's own exception, or null
     * @return the exception to throw from the checkout
     */
    public static ConnectionException noConnectionInTime(String pool, DatabaseTarget target, long waitedMs, int busy,
                                                         int max, Throwable lastConnectFailure, Throwable cause) {
        return new ConnectionException("Pool '" + pool + "' got no connection to " + target + " within " + waitedMs
                + " ms (busy " + busy + " of max size " + max + "): "
                + (lastConnectFailure == null ? "connecting takes longer than the checkout timeout"
                : "last connect failure: " + reason(driverCause(lastConnectFailure))), cause);
    }

    /**
     * A checkout that needed a new connection and could not make one. When the server or driver refused
     * for a reason other than the connection itself (authentication, unknown database, a rejected setting,
     * 08004) this is a {@link SQLException}
     * with the server's SQLSTATE, which the core's error mappers turn into the right family; otherwise
     * a {@link ConnectionException}.
     *
     * @param failure what the pool library threw, with the driver's exception somewhere in its causes
     * @param pool the pool's name
     * @param target where the pool connects
     * @return the exception to throw: either a {@link ConnectionException} or a {@link SQLException}
     */
    public static Exception cannotConnect(String pool, DatabaseTarget target, Throwable failure) {
        Throwable driverFailure = driverCause(failure);
        String message = "Pool '" + pool + "' cannot connect to " + target + ": " + reason(driverFailure);
        String sqlState = sqlState(driverFailure);
        if (sqlState != null && SqlStateFamily.of(sqlState) != SqlStateFamily.CONNECTION) {
            // refused for a reason of its own (08004 included): the core's mappers pick the family
            return new SQLException(message, sqlState, driverFailure);
        }
        ConnectionException ex = new ConnectionException(message, driverFailure, ErrorDetails.ofSqlState(sqlState));
        if (driverFailure != failure) {
            ex.addSuppressed(failure);
        }
        return ex;
    }

    /**
     * The driver's own exception inside a pool library's wrappers, else the first {@link SQLException}
     * with a SQLSTATE, else {@code t} itself.
     *
     * @param t the exception as the pool library threw it
     * @return the most specific driver exception found, else {@code t}
     */
    public static Throwable driverCause(Throwable t) {
        Throwable withState = null;
        int depth = 0;
        for (Throwable c = t; c != null && depth < 32; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (c.getClass().getName().startsWith("org.postgresql.") || c instanceof TlsRejection) {
                return c; // the driver's own exception, or the core's verdict on it
            }
            if (withState == null && c instanceof SQLException && ((SQLException) c).getSQLState() != null) {
                withState = c;
            }
        }
        return withState != null ? withState : t;
    }

    /**
     * {@return whether a driver (pgjdbc) exception is among {@code t}'s causes}
     *
     * @param t the exception as the pool library threw it
     */
    public static boolean hasDriverCause(Throwable t) {
        Throwable cause = driverCause(t);
        return cause.getClass().getName().startsWith("org.postgresql.") || cause instanceof TlsRejection;
    }

    /**
     * {@return the exception's message, or its class's simple name when it has none}
     *
     * @param t the exception as the pool library threw it
     */
    public static String reason(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static String sqlState(Throwable t) {
        return t instanceof SQLException sqlException ? sqlException.getSQLState() : null;
    }
}
