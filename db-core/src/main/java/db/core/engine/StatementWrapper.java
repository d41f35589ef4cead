package db.core.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The {@link Statement} applications get from a session's connection: every execution goes
 * through {@link QueryHooks} (instrumentation), every SQL text is shown to the session (session-state
 * tracking), every failure is shown to the session (broken connections, one mapping per failure), and
 * {@link #getConnection()} and the result sets it returns lead back to the session's handle, never to
 * the pooled connection underneath.
 */
class StatementWrapper implements Statement {
    private final Statement delegate;
    final ConnectionWrapper connection;
    final QueryHooks hooks;
    final SessionImpl session;
    int queryTimeout;
    private List<String> batch;

    StatementWrapper(Statement delegate, ConnectionWrapper connection) {
        this.delegate = delegate;
        this.connection = connection;
        this.hooks = connection.hooks();
        this.session = connection.session();
    }

    /** Runs one execution of {@code sql} (a text the session has seen) with or without instrumentation. */
    private <T> T observe(String sql, SqlFunction<T> call, ToLongFunction<T> rows) throws SQLException {
        session.sawSql(sql);
        if (hooks.off()) {
            try {
                return call.apply(sql);
            } catch (SQLException e) {
                throw session.failed(e);
            }
        }
        String sent = hooks.rewrite(sql);
        return hooks.run(session, sql, false, 0, queryTimeout, () -> call.apply(sent), rows);
    }

    /** A JDBC call that takes the SQL text to send. */
    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(String sql) throws SQLException;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return ResultSetWrapper.of(observe(sql, delegate::executeQuery, QueryHooks::noRows), this);
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return observe(sql, delegate::executeUpdate, Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, int keys) throws SQLException {
        return observe(sql, s -> delegate.executeUpdate(s, keys), Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, int[] columns) throws SQLException {
        return observe(sql, s -> delegate.executeUpdate(s, columns), Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, String[] columns) throws SQLException {
        return observe(sql, s -> delegate.executeUpdate(s, columns), Integer::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return observe(sql, delegate::executeLargeUpdate, Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, int keys) throws SQLException {
        return observe(sql, s -> delegate.executeLargeUpdate(s, keys), Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columns) throws SQLException {
        return observe(sql, s -> delegate.executeLargeUpdate(s, columns), Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columns) throws SQLException {
        return observe(sql, s -> delegate.executeLargeUpdate(s, columns), Long::longValue);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return observe(sql, delegate::execute, QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, int keys) throws SQLException {
        return observe(sql, s -> delegate.execute(s, keys), QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, int[] columns) throws SQLException {
        return observe(sql, s -> delegate.execute(s, columns), QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, String[] columns) throws SQLException {
        return observe(sql, s -> delegate.execute(s, columns), QueryHooks::noRows);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        session.sawSql(sql);
        if (hooks.off()) {
            delegate.addBatch(sql);
            return;
        }
        delegate.addBatch(hooks.rewrite(sql));
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        if (batch != null) {
            batch.clear();
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        if (hooks.off()) {
            try {
                return delegate.executeBatch();
            } catch (SQLException e) {
                throw session.failed(e);
            }
        }
        List<String> statements = takeBatch();
        return hooks.runBatch(session, String.join("; ", statements), false, statements.size(), queryTimeout,
                delegate::executeBatch, QueryHooks::sum);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        if (hooks.off()) {
            try {
                return delegate.executeLargeBatch();
            } catch (SQLException e) {
                throw session.failed(e);
            }
        }
        List<String> statements = takeBatch();
        return hooks.runBatch(session, String.join("; ", statements), false, statements.size(), queryTimeout,
                delegate::executeLargeBatch, QueryHooks::sum);
    }

    private List<String> takeBatch() {
        List<String> statements = batch == null ? List.of() : List.copyOf(batch);
        if (batch != null) {
            batch.clear();
        }
        return statements;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        delegate.setQueryTimeout(seconds);
        this.queryTimeout = seconds;
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
    public void cancel() throws SQLException {
        delegate.cancel();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        delegate.close();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        delegate.closeOnCompletion();
    }

    @Override
    public String enquoteIdentifier(String p0, boolean p1) throws SQLException {
        return delegate.enquoteIdentifier(p0, p1);
    }

    @Override
    public String enquoteLiteral(String p0) throws SQLException {
        return delegate.enquoteLiteral(p0);
    }

    @Override
    public String enquoteNCharLiteral(String p0) throws SQLException {
        return delegate.enquoteNCharLiteral(p0);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return delegate.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return delegate.getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return ResultSetWrapper.of(delegate.getGeneratedKeys(), this);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return delegate.getLargeMaxRows();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return delegate.getLargeUpdateCount();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return delegate.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return delegate.getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return delegate.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int p0) throws SQLException {
        return delegate.getMoreResults(p0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return delegate.getQueryTimeout();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return ResultSetWrapper.of(delegate.getResultSet(), this);
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return delegate.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return delegate.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return delegate.getResultSetType();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return delegate.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return delegate.isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return delegate.isPoolable();
    }

    @Override
    public boolean isSimpleIdentifier(String p0) throws SQLException {
        return delegate.isSimpleIdentifier(p0);
    }

    @Override
    public void setCursorName(String p0) throws SQLException {
        delegate.setCursorName(p0);
    }

    @Override
    public void setEscapeProcessing(boolean p0) throws SQLException {
        delegate.setEscapeProcessing(p0);
    }

    @Override
    public void setFetchDirection(int p0) throws SQLException {
        delegate.setFetchDirection(p0);
    }

    @Override
    public void setFetchSize(int p0) throws SQLException {
        delegate.setFetchSize(p0);
    }

    @Override
    public void setLargeMaxRows(long p0) throws SQLException {
        delegate.setLargeMaxRows(p0);
    }

    @Override
    public void setMaxFieldSize(int p0) throws SQLException {
        delegate.setMaxFieldSize(p0);
    }

    @Override
    public void setMaxRows(int p0) throws SQLException {
        delegate.setMaxRows(p0);
    }

    @Override
    public void setPoolable(boolean p0) throws SQLException {
        delegate.setPoolable(p0);
    }

}
