package db.core.engine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A {@link ResultSet} handed out by a session: {@link #getStatement()} returns the session's statement
 * wrapper (whose connection is the session's handle), and a result set read from a column (a
 * {@code refcursor}) is wrapped the same way. Every failure is shown to the session (a cursor fetch that
 * finds the connection gone marks it broken). Everything else is forwarded.
 */
final class ResultSetWrapper extends ForwardingResultSet {
    private final Statement statement;
    private final SessionImpl session;

    private ResultSetWrapper(ResultSet delegate, Statement statement, SessionImpl session) {
        super(delegate);
        this.statement = statement;
        this.session = session;
    }

    /**
     * {@code rs} wrapped so it leads back to {@code statement} (which may be null: a driver's metadata
     * result set without a statement) and reports failures to {@code session}; {@code null} stays {@code null}.
     */
    static ResultSet of(ResultSet rs, Statement statement, SessionImpl session) {
        if (rs == null || rs instanceof ResultSetWrapper) {
            return rs;
        }
        return new ResultSetWrapper(rs, statement, session);
    }

    @Override
    protected <E extends SQLException> E failed(E failure) {
        return session.failed(failure);
    }

    private ResultSet wrap(ResultSet rs) {
        return of(rs, statement, session);
    }

    private Object wrapObject(Object value) {
        return value instanceof ResultSet rs ? wrap(rs) : value;
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public Object getObject(int column) throws SQLException {
        return wrapObject(super.getObject(column));
    }

    @Override
    public Object getObject(String column) throws SQLException {
        return wrapObject(super.getObject(column));
    }

    @Override
    public Object getObject(int column, Map<String, Class<?>> map) throws SQLException {
        return wrapObject(super.getObject(column, map));
    }

    @Override
    public Object getObject(String column, Map<String, Class<?>> map) throws SQLException {
        return wrapObject(super.getObject(column, map));
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        T value = super.getObject(column, type);
        return value instanceof ResultSet rs ? type.cast(wrap(rs)) : value;
    }

    @Override
    public <T> T getObject(String column, Class<T> type) throws SQLException {
        T value = super.getObject(column, type);
        return value instanceof ResultSet rs ? type.cast(wrap(rs)) : value;
    }
}
