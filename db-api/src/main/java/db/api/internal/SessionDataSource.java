package db.api.internal;

import db.api.DataAccessException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} view of a database for libraries that want one (Flyway, jOOQ, Jdbi): every
 * connection is a session's instrumented connection in autocommit mode, and closing it closes the
 * session.
 */
final class SessionDataSource implements DataSource {
    private final Core core;

    SessionDataSource(Core core) {
        this.core = core;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return core.openSession().connection();
        } catch (DataAccessException e) {
            // DataSource callers expect SQLException; keep the mapped exception as the cause.
            throw new SQLTransientConnectionException(e.getMessage(), e.sqlState(), e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The pool's credentials come from its DbConfig; use getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Switchboard logs through Log4j2; a JDBC log writer is not used.
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("Set db.connect-timeout in DbConfig instead");
    }

    @Override
    public int getLoginTimeout() {
        return (int) core.config().connectTimeout().toSeconds();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Switchboard logs through Log4j2");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "SessionDataSource[" + core + "]";
    }
}
