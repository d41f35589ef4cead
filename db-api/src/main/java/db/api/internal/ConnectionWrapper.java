package db.api.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The JDBC {@link Connection} a session hands out. Statements it creates are wrapped so every
 * execution is instrumented; {@link #close()} closes the session (giving the pooled connection back);
 * changes to autocommit, isolation and read-only are remembered so the session can restore them.
 */
final class ConnectionWrapper implements Connection {
    private final Connection delegate;
    private final SessionImpl session;
    private final QueryHooks hooks;

    ConnectionWrapper(Connection delegate, SessionImpl session, QueryHooks hooks) {
        this.delegate = delegate;
        this.session = session;
        this.hooks = hooks;
    }

    Connection physical() {
        return delegate;
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new StatementWrapper(delegate.createStatement(), this, hooks);
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return new StatementWrapper(delegate.createStatement(type, concurrency), this, hooks);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        return new StatementWrapper(delegate.createStatement(type, concurrency, holdability), this, hooks);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return new PreparedStatementWrapper(delegate.prepareStatement(hooks.rewrite(sql)), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int keys) throws SQLException {
        return new PreparedStatementWrapper(delegate.prepareStatement(hooks.rewrite(sql), keys), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columns) throws SQLException {
        return new PreparedStatementWrapper(delegate.prepareStatement(hooks.rewrite(sql), columns), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columns) throws SQLException {
        return new PreparedStatementWrapper(delegate.prepareStatement(hooks.rewrite(sql), columns), this, hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return new PreparedStatementWrapper(delegate.prepareStatement(hooks.rewrite(sql), type, concurrency), this,
                hooks, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return new PreparedStatementWrapper(
                delegate.prepareStatement(hooks.rewrite(sql), type, concurrency, holdability), this, hooks, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return new CallableStatementWrapper(delegate.prepareCall(hooks.rewrite(sql)), this, hooks, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return new CallableStatementWrapper(delegate.prepareCall(hooks.rewrite(sql), type, concurrency), this, hooks,
                sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        return new CallableStatementWrapper(delegate.prepareCall(hooks.rewrite(sql), type, concurrency, holdability),
                this, hooks, sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        session.noteAutoCommitChange();
        delegate.setAutoCommit(autoCommit);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        session.noteIsolationChange();
        delegate.setTransactionIsolation(level);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        session.noteReadOnlyChange();
        delegate.setReadOnly(readOnly);
    }

    /** Closes the session: the pooled connection goes back clean. */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return session.isClosed() || delegate.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }

    // ---- plain delegation below ----

    @Override
    public void abort(Executor p0) throws SQLException {
        delegate.abort(p0);
    }

    @Override
    public void beginRequest() throws SQLException {
        delegate.beginRequest();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public void commit() throws SQLException {
        delegate.commit();
    }

    @Override
    public Array createArrayOf(String p0, Object[] p1) throws SQLException {
        return delegate.createArrayOf(p0, p1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return delegate.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        return delegate.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return delegate.createSQLXML();
    }

    @Override
    public Struct createStruct(String p0, Object[] p1) throws SQLException {
        return delegate.createStruct(p0, p1);
    }

    @Override
    public void endRequest() throws SQLException {
        delegate.endRequest();
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return delegate.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        return delegate.getCatalog();
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return delegate.getClientInfo();
    }

    @Override
    public String getClientInfo(String p0) throws SQLException {
        return delegate.getClientInfo(p0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return delegate.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return delegate.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        return delegate.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return delegate.getTransactionIsolation();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return delegate.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return delegate.isReadOnly();
    }

    @Override
    public boolean isValid(int p0) throws SQLException {
        return delegate.isValid(p0);
    }

    @Override
    public String nativeSQL(String p0) throws SQLException {
        return delegate.nativeSQL(p0);
    }

    @Override
    public void releaseSavepoint(Savepoint p0) throws SQLException {
        delegate.releaseSavepoint(p0);
    }

    @Override
    public void rollback() throws SQLException {
        delegate.rollback();
    }

    @Override
    public void rollback(Savepoint p0) throws SQLException {
        delegate.rollback(p0);
    }

    @Override
    public void setCatalog(String p0) throws SQLException {
        delegate.setCatalog(p0);
    }

    @Override
    public void setClientInfo(Properties p0) throws SQLClientInfoException {
        delegate.setClientInfo(p0);
    }

    @Override
    public void setClientInfo(String p0, String p1) throws SQLClientInfoException {
        delegate.setClientInfo(p0, p1);
    }

    @Override
    public void setHoldability(int p0) throws SQLException {
        delegate.setHoldability(p0);
    }

    @Override
    public void setNetworkTimeout(Executor p0, int p1) throws SQLException {
        delegate.setNetworkTimeout(p0, p1);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String p0) throws SQLException {
        return delegate.setSavepoint(p0);
    }

    @Override
    public void setSchema(String p0) throws SQLException {
        delegate.setSchema(p0);
    }

    @Override
    public void setShardingKey(ShardingKey p0) throws SQLException {
        delegate.setShardingKey(p0);
    }

    @Override
    public void setShardingKey(ShardingKey p0, ShardingKey p1) throws SQLException {
        delegate.setShardingKey(p0, p1);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, ShardingKey p1, int p2) throws SQLException {
        return delegate.setShardingKeyIfValid(p0, p1, p2);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, int p1) throws SQLException {
        return delegate.setShardingKeyIfValid(p0, p1);
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> p0) throws SQLException {
        delegate.setTypeMap(p0);
    }

}
