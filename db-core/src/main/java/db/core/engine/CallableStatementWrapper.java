package db.core.engine;

import java.sql.CallableStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** The {@link CallableStatement} applications get from a session's connection. */
final class CallableStatementWrapper extends ForwardingCallableStatement {

    CallableStatementWrapper(CallableStatement callable, ConnectionWrapper connection, String sql) {
        super(callable, connection, sql);
    }

    /** A {@code refcursor} OUT parameter comes back as a result set: it leads back to this statement too. */
    @SuppressWarnings("unchecked")
    private <T> T resultSetsLeadBack(T value) {
        return value instanceof ResultSet rs ? (T) wrapResultSet(rs) : value;
    }

    @Override
    public Object getObject(String parameter) throws SQLException {
        return resultSetsLeadBack(super.getObject(parameter));
    }

    @Override
    public <T> T getObject(String parameter, Class<T> type) throws SQLException {
        return resultSetsLeadBack(super.getObject(parameter, type));
    }

    @Override
    public Object getObject(String parameter, Map<String, Class<?>> map) throws SQLException {
        return resultSetsLeadBack(super.getObject(parameter, map));
    }

    @Override
    public Object getObject(int parameter) throws SQLException {
        return resultSetsLeadBack(super.getObject(parameter));
    }

    @Override
    public <T> T getObject(int parameter, Class<T> type) throws SQLException {
        return resultSetsLeadBack(super.getObject(parameter, type));
    }

    @Override
    public Object getObject(int parameter, Map<String, Class<?>> map) throws SQLException {
        return resultSetsLeadBack(super.getObject(parameter, map));
    }
}
