package db.core.engine;

import db.api.DataAccessException;
import db.core.support.ConfiguredDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * A {@link DataSource} view of a database for libraries that want one (Flyway, jOOQ, Jdbi): every
 * connection is a session's instrumented connection in autocommit mode, and closing it closes the
 * session.
 */
final class SessionDataSource extends ConfiguredDataSource {
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

    /** Refused rather than ignored: an application that sets it here expects it to apply. */
    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("Set db.connect-timeout in DbConfig instead");
    }

    @Override
    public int getLoginTimeout() {
        return (int) core.config().connectTimeout().toSeconds();
    }

    @Override
    public String toString() {
        return "SessionDataSource[" + core + "]";
    }
}
