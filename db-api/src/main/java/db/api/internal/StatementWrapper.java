package db.api.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Statement} applications get from a session's connection: every execution goes
 * through {@link QueryHooks} (instrumentation), and {@link #getConnection()} returns the session's
 * connection wrapper, never the pooled connection underneath.
 */
class StatementWrapper implements Statement {
    private final Statement delegate;
    final ConnectionWrapper connection;
    final QueryHooks hooks;
    int queryTimeout;
    private List<String> batch;

    StatementWrapper(Statement delegate, ConnectionWrapper connection, QueryHooks hooks) {
        this.delegate = delegate;
        this.connection = connection;
        this.hooks = hooks;
    }

    private <T> T observe(String sql, int batchSize, SqlFunction<T> call, java.util.function.ToLongFunction<T> rows)
            throws SQLException {
        String sent = hooks.rewrite(sql);
        return hooks.run(sql, false, batchSize, queryTimeout, () -> call.apply(sent), rows);
    }

    /** A JDBC call that takes the SQL text to send. */
    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(String sql) throws SQLException;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return hooks.off() ? delegate.executeQuery(sql) : observe(sql, 0, delegate::executeQuery, QueryHooks::noRows);
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return hooks.off() ? delegate.executeUpdate(sql) : observe(sql, 0, delegate::executeUpdate, Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, int keys) throws SQLException {
        return hooks.off() ? delegate.executeUpdate(sql, keys)
                : observe(sql, 0, s -> delegate.executeUpdate(s, keys), Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, int[] columns) throws SQLException {
        return hooks.off() ? delegate.executeUpdate(sql, columns)
                : observe(sql, 0, s -> delegate.executeUpdate(s, columns), Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, String[] columns) throws SQLException {
        return hooks.off() ? delegate.executeUpdate(sql, columns)
                : observe(sql, 0, s -> delegate.executeUpdate(s, columns), Integer::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return hooks.off() ? delegate.executeLargeUpdate(sql) : observe(sql, 0, delegate::executeLargeUpdate, Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, int keys) throws SQLException {
        return hooks.off() ? delegate.executeLargeUpdate(sql, keys)
                : observe(sql, 0, s -> delegate.executeLargeUpdate(s, keys), Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columns) throws SQLException {
        return hooks.off() ? delegate.executeLargeUpdate(sql, columns)
                : observe(sql, 0, s -> delegate.executeLargeUpdate(s, columns), Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columns) throws SQLException {
        return hooks.off() ? delegate.executeLargeUpdate(sql, columns)
                : observe(sql, 0, s -> delegate.executeLargeUpdate(s, columns), Long::longValue);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return hooks.off() ? delegate.execute(sql) : observe(sql, 0, delegate::execute, QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, int keys) throws SQLException {
        return hooks.off() ? delegate.execute(sql, keys) : observe(sql, 0, s -> delegate.execute(s, keys), QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, int[] columns) throws SQLException {
        return hooks.off() ? delegate.execute(sql, columns)
                : observe(sql, 0, s -> delegate.execute(s, columns), QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, String[] columns) throws SQLException {
        return hooks.off() ? delegate.execute(sql, columns)
                : observe(sql, 0, s -> delegate.execute(s, columns), QueryHooks::noRows);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
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
            return delegate.executeBatch();
        }
        List<String> statements = takeBatch();
        return hooks.runBatch(String.join("; ", statements), false, statements.size(), queryTimeout,
                delegate::executeBatch, QueryHooks::sum);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        if (hooks.off()) {
            return delegate.executeLargeBatch();
        }
        List<String> statements = takeBatch();
        return hooks.runBatch(String.join("; ", statements), false, statements.size(), queryTimeout,
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
        return delegate.getGeneratedKeys();
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
        return delegate.getResultSet();
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
