package db.core.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
class StatementWrapper extends ForwardingStatement {
    final ConnectionWrapper connection;
    final QueryHooks hooks;
    final SessionImpl session;
    int queryTimeout;
    private List<String> batch;

    StatementWrapper(Statement delegate, ConnectionWrapper connection) {
        super(delegate);
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
                throw failed(e);
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

    /** Every failure of a forwarded call is shown to the session, which discards a connection that broke. */
    @Override
    protected <E extends SQLException> E failed(E failure) {
        return session.failed(failure);
    }

    /** A result set of this statement leads back to it. */
    @Override
    protected ResultSet wrapResultSet(ResultSet resultSet) {
        return ResultSetWrapper.of(resultSet, this, session);
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return wrapResultSet(observe(sql, delegate()::executeQuery, QueryHooks::noRows));
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return observe(sql, delegate()::executeUpdate, Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, int keys) throws SQLException {
        return observe(sql, s -> delegate().executeUpdate(s, keys), Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, int[] columns) throws SQLException {
        return observe(sql, s -> delegate().executeUpdate(s, columns), Integer::longValue);
    }

    @Override
    public int executeUpdate(String sql, String[] columns) throws SQLException {
        return observe(sql, s -> delegate().executeUpdate(s, columns), Integer::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return observe(sql, delegate()::executeLargeUpdate, Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, int keys) throws SQLException {
        return observe(sql, s -> delegate().executeLargeUpdate(s, keys), Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columns) throws SQLException {
        return observe(sql, s -> delegate().executeLargeUpdate(s, columns), Long::longValue);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columns) throws SQLException {
        return observe(sql, s -> delegate().executeLargeUpdate(s, columns), Long::longValue);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return observe(sql, delegate()::execute, QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, int keys) throws SQLException {
        return observe(sql, s -> delegate().execute(s, keys), QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, int[] columns) throws SQLException {
        return observe(sql, s -> delegate().execute(s, columns), QueryHooks::noRows);
    }

    @Override
    public boolean execute(String sql, String[] columns) throws SQLException {
        return observe(sql, s -> delegate().execute(s, columns), QueryHooks::noRows);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        session.sawSql(sql);
        if (hooks.off()) {
            super.addBatch(sql);
            return;
        }
        super.addBatch(hooks.rewrite(sql));
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        super.clearBatch();
        if (batch != null) {
            batch.clear();
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        if (hooks.off()) {
            try {
                return delegate().executeBatch();
            } catch (SQLException e) {
                throw failed(e);
            }
        }
        List<String> statements = takeBatch();
        return hooks.runBatch(session, String.join("; ", statements), false, statements.size(), queryTimeout,
                delegate()::executeBatch, QueryHooks::sum);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        if (hooks.off()) {
            try {
                return delegate().executeLargeBatch();
            } catch (SQLException e) {
                throw failed(e);
            }
        }
        List<String> statements = takeBatch();
        return hooks.runBatch(session, String.join("; ", statements), false, statements.size(), queryTimeout,
                delegate()::executeLargeBatch, QueryHooks::sum);
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
        super.setQueryTimeout(seconds);
        this.queryTimeout = seconds;
    }
}
