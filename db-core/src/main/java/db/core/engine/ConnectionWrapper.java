package db.core.engine;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The JDBC {@link Connection} a session hands out (its handle). Statements it creates are wrapped so
 * every execution is instrumented and every SQL text is seen; every setter that changes connection state
 * goes through the session's {@link ConnectionState} (dirty bits); metadata, statements and result sets
 * lead back to this handle. {@link #close()} closes the session, except inside a managed transaction,
 * where it only closes this handle.
 */
final class ConnectionWrapper extends ForwardingSessionConnection {
    private final SessionImpl session;
    private boolean closed;

    /** Thrown when a closed handle is used; says nothing about the physical connection. */
    static final class HandleClosedException extends SQLNonTransientConnectionException {
        private static final long serialVersionUID = 1L;

        HandleClosedException() {
            super("This connection handle is closed", "08003");
        }
    }

    ConnectionWrapper(Connection delegate, SessionImpl session) {
        super(delegate);
        this.session = session;
    }

    SessionImpl session() {
        return session;
    }

    /** The session's hooks; not a field of its own, so a handle costs a few bytes less per session. */
    QueryHooks hooks() {
        return session.hooks();
    }

    /** Whether this handle was closed (while its session may go on). */
    boolean handleClosed() {
        return closed;
    }

    private void requireOpen() throws HandleClosedException {
        if (closed || session.isClosed()) {
            throw new HandleClosedException();
        }
    }

    /** Every failure of a forwarded call is shown to the session, which discards a connection that broke. */
    @Override
    protected <E extends SQLException> E failed(E failure) {
        return session.failed(failure);
    }

    /** A driver statement (from metadata) wrapped so it leads back to this handle. */
    Statement wrapStatement(Statement driverStatement) {
        return new StatementWrapper(driverStatement, this);
    }

    @Override
    public Statement createStatement() throws SQLException {
        requireOpen();
        return new StatementWrapper(super.createStatement(), this);
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        requireOpen();
        return new StatementWrapper(super.createStatement(type, concurrency), this);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        requireOpen();
        return new StatementWrapper(super.createStatement(type, concurrency, holdability), this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        requireOpen();
        return new PreparedStatementWrapper(super.prepareStatement(hooks().rewrite(sql)), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int keys) throws SQLException {
        requireOpen();
        return new PreparedStatementWrapper(super.prepareStatement(hooks().rewrite(sql), keys), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columns) throws SQLException {
        requireOpen();
        return new PreparedStatementWrapper(super.prepareStatement(hooks().rewrite(sql), columns), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columns) throws SQLException {
        requireOpen();
        return new PreparedStatementWrapper(super.prepareStatement(hooks().rewrite(sql), columns), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        requireOpen();
        return new PreparedStatementWrapper(super.prepareStatement(hooks().rewrite(sql), type, concurrency), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        requireOpen();
        return new PreparedStatementWrapper(
                super.prepareStatement(hooks().rewrite(sql), type, concurrency, holdability), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        requireOpen();
        return new CallableStatementWrapper(super.prepareCall(hooks().rewrite(sql)), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        requireOpen();
        return new CallableStatementWrapper(super.prepareCall(hooks().rewrite(sql), type, concurrency), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        requireOpen();
        return new CallableStatementWrapper(super.prepareCall(hooks().rewrite(sql), type, concurrency, holdability),
                this, sql);
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        requireOpen();
        return new DatabaseMetaDataWrapper(super.getMetaData(), this);
    }

    // ---- state the session restores (dirty bits) ----

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        requireOpen();
        try {
            session.state().setAutoCommit(autoCommit);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        requireOpen();
        try {
            session.state().setTransactionIsolation(level);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        requireOpen();
        try {
            session.state().setReadOnly(readOnly);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        requireOpen();
        try {
            session.state().setCatalog(catalog);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        requireOpen();
        try {
            session.state().setHoldability(holdability);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        requireOpen();
        try {
            session.state().setNetworkTimeout(executor, milliseconds);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        requireOpenForClientInfo();
        try {
            session.state().setClientInfo(name, value);
        } catch (SQLClientInfoException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        requireOpenForClientInfo();
        try {
            session.state().setClientInfo(properties);
        } catch (SQLClientInfoException e) {
            throw failed(e);
        }
    }

    private void requireOpenForClientInfo() throws SQLClientInfoException {
        if (closed || session.isClosed()) {
            throw new SQLClientInfoException("This connection handle is closed", "08003", Map.of());
        }
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        requireOpen();
        try {
            session.state().setTypeMap(map);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** pgjdbc sets {@code search_path}: SQL-level state, reset with the rest of it. */
    @Override
    public void setSchema(String schema) throws SQLException {
        requireOpen();
        super.setSchema(schema);
        session.sawSqlState(SessionStateSql.GUC);
    }

    /** A library that aborts the handle ends the physical connection: it is discarded, never pooled again. */
    @Override
    public void abort(Executor executor) throws SQLException {
        session.markBroken();
        super.abort(executor);
    }

    /**
     * Closes the session (the pooled connection goes back clean); inside a managed transaction it only
     * closes this handle, and the transaction goes on.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        session.handleClosed(this);
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || session.isClosed() || super.isClosed();
    }
}
