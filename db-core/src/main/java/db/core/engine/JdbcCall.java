package db.core.engine;

import java.sql.SQLException;

/** A JDBC call to run under instrumentation. */
@FunctionalInterface
interface JdbcCall<T> {
    T call() throws SQLException;
}
