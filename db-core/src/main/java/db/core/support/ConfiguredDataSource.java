package db.core.support;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What every {@link DataSource} of Switchboard's has in common, the core's and the providers' alike:
 * connections come with the configured credentials only, there is no log writer (Switchboard logs through
 * Log4j2, pgjdbc through {@code java.util.logging}), the login timeout is {@code db.connect-timeout}, fixed
 * at start, and it unwraps to itself only. Subclasses supply {@link #getConnection()} and
 * {@link #getLoginTimeout()}.
 */
public abstract class ConfiguredDataSource implements DataSource {
    /** For subclasses. */
    protected ConfiguredDataSource() {
    }

    /** Refused: the credentials are the configuration's ({@code db.user}, {@code db.password}). */
    @Override
    public final Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(
                "connections use the configured credentials (db.user, db.password); call getConnection()");
    }

    /** Always {@code null}: nothing is logged to a JDBC log writer. */
    @Override
    public final PrintWriter getLogWriter() {
        return null;
    }

    /** Ignored: nothing is logged to a JDBC log writer. */
    @Override
    public final void setLogWriter(PrintWriter out) {
        // Log4j2 and java.util.logging are configured where the application configures logging.
    }

    /**
     * Ignored: the login timeout is {@code db.connect-timeout}, a driver property fixed at start (pools
     * such as HikariCP call this with their own connection timeout, which must not override it).
     */
    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        // see the javadoc
    }

    @Override
    public final Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Switchboard logs through Log4j2, not java.util.logging");
    }

    @Override
    public final <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public final boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
