package db.core.engine;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@link DatabaseMetaData} of a session's connection: {@link #getConnection()} is the session's
 * handle, every result set it returns leads back to that handle through its statement, and every failure
 * is shown to the session (a metadata query that finds the connection gone marks it broken).
 */
final class DatabaseMetaDataWrapper extends ForwardingDatabaseMetaData {
    private final ConnectionWrapper connection;

    DatabaseMetaDataWrapper(DatabaseMetaData delegate, ConnectionWrapper connection) {
        super(delegate);
        this.connection = connection;
    }

    @Override
    protected <E extends SQLException> E failed(E failure) {
        return connection.session().failed(failure);
    }

    @Override
    protected ResultSet wrapResultSet(ResultSet rs) throws SQLException {
        if (rs == null) {
            return null;
        }
        // The driver's metadata queries run on a statement of its own; hand out one that leads back here.
        java.sql.Statement driverStatement = rs.getStatement();
        return ResultSetWrapper.of(rs, driverStatement == null ? null : connection.wrapStatement(driverStatement),
                connection.session());
    }

    @Override
    public Connection getConnection() {
        return connection;
    }
}
