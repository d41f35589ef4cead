package db.core.engine;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.ToLongFunction;

/**
 * The {@link PreparedStatement} applications get from a session's connection. Its executions are
 * reported as parameterized when the SQL text has bind markers ({@code ?}): then the text carries no
 * values and instrumenters may record it as is.
 */
class PreparedStatementWrapper extends ForwardingPreparedStatement {
    private final String sql;
    private final boolean parameterized;
    /** The session state this text changes, classified once here rather than at every execution. */
    private final int stateBits;
    private int batchSize;

    PreparedStatementWrapper(PreparedStatement prepared, ConnectionWrapper connection, String sql) {
        super(prepared, connection);
        this.sql = sql;
        this.parameterized = sql.indexOf('?') >= 0;
        this.stateBits = session.classify(sql);
    }

    private <T> T run(int size, boolean batch, JdbcCall<T> call, ToLongFunction<T> rows) throws SQLException {
        session.sawSqlState(stateBits);
        if (hooks.off()) {
            try {
                return call.call();
            } catch (SQLException e) {
                throw failed(e);
            }
        }
        return batch ? hooks.runBatch(session, sql, parameterized, size, queryTimeout, call, rows)
                : hooks.run(session, sql, parameterized, size, queryTimeout, call, rows);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return wrapResultSet(run(0, false, preparedStatement()::executeQuery, QueryHooks::noRows));
    }

    @Override
    public int executeUpdate() throws SQLException {
        return run(0, false, preparedStatement()::executeUpdate, Integer::longValue);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return run(0, false, preparedStatement()::executeLargeUpdate, Long::longValue);
    }

    @Override
    public boolean execute() throws SQLException {
        return run(0, false, preparedStatement()::execute, QueryHooks::noRows);
    }

    @Override
    public void addBatch() throws SQLException {
        super.addBatch();
        batchSize++;
    }

    @Override
    public void clearBatch() throws SQLException {
        super.clearBatch();
        batchSize = 0;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        int size = batchSize;
        batchSize = 0;
        return run(size, true, preparedStatement()::executeBatch, QueryHooks::sum);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        int size = batchSize;
        batchSize = 0;
        return run(size, true, preparedStatement()::executeLargeBatch, QueryHooks::sum);
    }
}
