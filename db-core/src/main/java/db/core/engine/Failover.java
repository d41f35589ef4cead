package db.core.engine;

import db.api.ConnectionException;
import db.api.DataAccessException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Tells a write refused after a failover from a write in a read-only transaction: both fail with
 * SQLSTATE 25006 {@code read_only_sql_transaction}, but only after a failover is the server itself a
 * standby. Such a failure becomes a retryable {@link ConnectionException} and the primary's pool is
 * evicted, so a retry with {@link db.api.TxOptions} connects afresh and lands on the new primary.
 */
final class Failover {
    private static final Logger LOG = LogManager.getLogger(Failover.class);
    static final String READ_ONLY_SQL_TRANSACTION = "25006";

    private Failover() {
    }

    /**
     * {@code failure} itself, or a {@link ConnectionException} when it is a 25006 from a server that is in
     * recovery; then {@code evict} has run.
     *
     * @param connection the failed transaction's connection, rolled back
     */
    static RuntimeException reclassify(RuntimeException failure, Connection connection, Runnable evict) {
        if (!(failure instanceof DataAccessException refused)
                || !READ_ONLY_SQL_TRANSACTION.equals(refused.sqlState())) {
            return failure;
        }
        if (!serverIsStandby(connection, refused)) {
            return failure; // a read-only transaction of the application's own: not retryable
        }
        LOG.warn("A write was refused by a server in recovery (SQLSTATE 25006): the pool's connections point at a "
                + "standby after a failover; evicting them");
        evict.run();
        ConnectionException converted = new ConnectionException("The server refused a write because it is a standby "
                + "now (SQLSTATE 25006 read_only_sql_transaction after a failover): the connection was evicted; "
                + "retry to reach the new primary", refused, refused.details());
        return converted;
    }

    private static boolean serverIsStandby(Connection connection, DataAccessException refused) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            boolean standby = rs.next() && rs.getBoolean(1);
            if (!connection.getAutoCommit()) {
                connection.rollback(); // the question opened a transaction of its own: leave none behind
            }
            return standby;
        } catch (SQLException | RuntimeException e) {
            refused.addSuppressed(e);
            return false;
        }
    }
}
