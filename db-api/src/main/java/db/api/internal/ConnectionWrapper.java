package db.api.internal;

import db.api.spi.ForwardingConnection;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The JDBC {@link Connection} a session hands out. Statements it creates are wrapped so every
 * execution is instrumented; {@link #close()} closes the session (giving the pooled connection back);
 * changes to autocommit, isolation and read-only are remembered so the session can restore them.
 */
final class ConnectionWrapper extends ForwardingConnection {
    private final SessionImpl session;
    private final QueryHooks hooks;

    ConnectionWrapper(Connection delegate, SessionImpl session, QueryHooks hooks) {
        super(delegate);
        this.session = session;
        this.hooks = hooks;
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new StatementWrapper(delegate().createStatement(), this, hooks);
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return new StatementWrapper(delegate().createStatement(type, concurrency), this, hooks);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        return new StatementWrapper(delegate().createStatement(type, concurrency, holdability), this, hooks);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return new PreparedStatementWrapper(delegate().prepareStatement(hooks.rewrite(sql)), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int keys) throws SQLException {
        return new PreparedStatementWrapper(delegate().prepareStatement(hooks.rewrite(sql), keys), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columns) throws SQLException {
        return new PreparedStatementWrapper(delegate().prepareStatement(hooks.rewrite(sql), columns), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columns) throws SQLException {
        return new PreparedStatementWrapper(delegate().prepareStatement(hooks.rewrite(sql), columns), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return new PreparedStatementWrapper(delegate().prepareStatement(hooks.rewrite(sql), type, concurrency), this,
                hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return new PreparedStatementWrapper(
                delegate().prepareStatement(hooks.rewrite(sql), type, concurrency, holdability), this, hooks, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return new CallableStatementWrapper(delegate().prepareCall(hooks.rewrite(sql)), this, hooks, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return new CallableStatementWrapper(delegate().prepareCall(hooks.rewrite(sql), type, concurrency), this, hooks,
                sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        return new CallableStatementWrapper(delegate().prepareCall(hooks.rewrite(sql), type, concurrency, holdability),
                this, hooks, sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        session.noteAutoCommitChange();
        delegate().setAutoCommit(autoCommit);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        session.noteIsolationChange();
        delegate().setTransactionIsolation(level);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        session.noteReadOnlyChange();
        delegate().setReadOnly(readOnly);
    }

    /** Closes the session: the pooled connection goes back clean. */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return session.isClosed() || delegate().isClosed();
    }
}
