package db.core.engine;

import db.core.support.ExceptionChain;
import java.sql.SQLException;

/**
 * Which failures mean the connection itself is unusable, as HikariCP's {@code ProxyConnection.checkException}
 * judges it: a SQLSTATE of class 08 (connection exception, also the driver's I/O errors and socket
 * timeouts) or an administrator shutdown (57P01, 57P02, 57P03). A session that saw one discards its
 * connection instead of giving it back to the pool.
 */
final class BrokenConnections {
    private BrokenConnections() {
    }

    static boolean isFatal(SQLException e) {
        for (Throwable t : ExceptionChain.of(e)) {
            if (t instanceof SQLException sqlException && isFatalState(sqlException.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean isFatalState(String sqlState) {
        // 57P04 (database dropped), 57P05 (idle session timeout) and 25P03 (idle-in-transaction timeout)
        // end the session as the shutdown codes do.
        return sqlState != null && (sqlState.startsWith("08") || "57P01".equals(sqlState)
                || "57P02".equals(sqlState) || "57P03".equals(sqlState) || "57P04".equals(sqlState)
                || "57P05".equals(sqlState) || "25P03".equals(sqlState));
    }
}
