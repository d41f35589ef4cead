package db.core.engine;

import db.core.support.ForwardingConnection;
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
final class ConnectionWrapper extends ForwardingConnection {
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

    private Connection open() throws SQLException {
        if (closed || session.isClosed()) {
            throw new HandleClosedException();
        }
        return delegate();
    }

    /** A driver statement (from metadata) wrapped so it leads back to this handle. */
    Statement wrapStatement(Statement driverStatement) {
        return new StatementWrapper(driverStatement, this);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new StatementWrapper(open().createStatement(), this);
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return new StatementWrapper(open().createStatement(type, concurrency), this);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        return new StatementWrapper(open().createStatement(type, concurrency, holdability), this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return new PreparedStatementWrapper(open().prepareStatement(hooks().rewrite(sql)), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int keys) throws SQLException {
        return new PreparedStatementWrapper(open().prepareStatement(hooks().rewrite(sql), keys), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columns) throws SQLException {
        return new PreparedStatementWrapper(open().prepareStatement(hooks().rewrite(sql), columns), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columns) throws SQLException {
        return new PreparedStatementWrapper(open().prepareStatement(hooks().rewrite(sql), columns), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return new PreparedStatementWrapper(open().prepareStatement(hooks().rewrite(sql), type, concurrency), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return new PreparedStatementWrapper(
                open().prepareStatement(hooks().rewrite(sql), type, concurrency, holdability), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return new CallableStatementWrapper(open().prepareCall(hooks().rewrite(sql)), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return new CallableStatementWrapper(open().prepareCall(hooks().rewrite(sql), type, concurrency), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        return new CallableStatementWrapper(open().prepareCall(hooks().rewrite(sql), type, concurrency, holdability),
                this, sql);
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new DatabaseMetaDataWrapper(open().getMetaData(), this);
    }

    // ---- state the session restores (dirty bits) ----

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        open();
        session.state().setAutoCommit(autoCommit);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        open();
        session.state().setTransactionIsolation(level);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        open();
        session.state().setReadOnly(readOnly);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        open();
        session.state().setCatalog(catalog);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        open();
        session.state().setHoldability(holdability);
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        open();
        session.state().setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        requireOpenForClientInfo();
        session.state().setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        requireOpenForClientInfo();
        session.state().setClientInfo(properties);
    }

    private void requireOpenForClientInfo() throws SQLClientInfoException {
        if (closed || session.isClosed()) {
            throw new SQLClientInfoException("This connection handle is closed", "08003", Map.of());
        }
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        open();
        session.state().setTypeMap(map);
    }

    /** pgjdbc sets {@code search_path}: SQL-level state, reset with the rest of it. */
    @Override
    public void setSchema(String schema) throws SQLException {
        open().setSchema(schema);
        session.sawSqlState(SessionStateSql.GUC);
    }

    /** A library that aborts the handle ends the physical connection: it is discarded, never pooled again. */
    @Override
    public void abort(Executor executor) throws SQLException {
        session.markBroken();
        delegate().abort(executor);
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
        return closed || session.isClosed() || delegate().isClosed();
    }
}
