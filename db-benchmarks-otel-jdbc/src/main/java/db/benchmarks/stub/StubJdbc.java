package db.benchmarks.stub;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A JDBC driver that talks to nobody: every connection, statement and result set is a dynamic proxy that
 * answers at once (one row, {@code "name"}). The same stub sits under every variant of the benchmark, so
 * the differences between variants are the instrumentation's own work; the proxies' own cost (argument
 * arrays, boxing) is in every variant alike and cancels out in the differences.
 */
public final class StubJdbc {

    /** What the stub claims to be connected to (never contacted). */
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private StubJdbc() {
    }

    /** A new stub connection. */
    public static Connection connection() {
        return proxy(Connection.class, new ConnectionHandler());
    }

    /** A data source of stub connections. */
    public static DataSource dataSource() {
        return new StubDataSource();
    }

    /** The measured statement: prepare, bind, execute, read one row, close. */
    public static String lookup(Connection connection, int id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select name from bench.item where id = ?")) {
            statement.setInt(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(StubJdbc.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** The default answer for a method nobody asked a specific one for. */
    private static Object defaultFor(Method method, Object self, Object[] args) {
        return switch (method.getName()) {
            case "isWrapperFor" -> ((Class<?>) args[0]).isInstance(self);
            case "unwrap" -> self;
            case "hashCode" -> System.identityHashCode(self);
            case "equals" -> self == args[0];
            case "toString" -> "stub";
            default -> zeroOf(method.getReturnType());
        };
    }

    /** The zero value of a primitive return type; null for a reference type. */
    private static Object zeroOf(Class<?> r) {
        if (r == boolean.class) {
            return false;
        }
        if (r == int.class) {
            return 0;
        }
        if (r == long.class) {
            return 0L;
        }
        return null;
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private boolean autoCommit = true;
        private boolean closed;

        @Override
        public Object invoke(Object self, Method method, Object[] args) {
            return switch (method.getName()) {
                case "prepareStatement", "prepareCall" ->
                        proxy(PreparedStatement.class, new StatementHandler((Connection) self));
                case "createStatement" -> proxy(Statement.class, new StatementHandler((Connection) self));
                case "getMetaData" -> proxy(DatabaseMetaData.class, new MetaDataHandler((Connection) self));
                case "getAutoCommit" -> autoCommit;
                case "setAutoCommit" -> {
                    autoCommit = (Boolean) args[0];
                    yield null;
                }
                case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
                case "isValid" -> !closed;
                case "isClosed" -> closed;
                case "close" -> {
                    closed = true;
                    yield null;
                }
                case "getCatalog" -> "test";
                case "getSchema" -> "public";
                case "getNetworkTimeout" -> 0;
                default -> defaultFor(method, self, args);
            };
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final Connection connection;

        StatementHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) {
            return switch (method.getName()) {
                case "executeQuery", "getResultSet" -> proxy(ResultSet.class, new ResultSetHandler());
                case "execute" -> true;
                case "executeUpdate" -> 1;
                case "executeLargeUpdate" -> 1L;
                case "getUpdateCount" -> -1;
                case "getLargeUpdateCount" -> -1L;
                case "executeBatch" -> new int[0];
                case "getConnection" -> connection;
                default -> defaultFor(method, self, args);
            };
        }
    }

    private static final class ResultSetHandler implements InvocationHandler {
        private int row;

        @Override
        public Object invoke(Object self, Method method, Object[] args) {
            return switch (method.getName()) {
                case "next" -> ++row == 1;
                case "getString" -> "name";
                default -> defaultFor(method, self, args);
            };
        }
    }

    private static final class MetaDataHandler implements InvocationHandler {
        private final Connection connection;

        MetaDataHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) {
            return switch (method.getName()) {
                case "getURL" -> URL;
                case "getUserName" -> "postgres";
                case "getDatabaseProductName" -> "PostgreSQL";
                case "getDatabaseProductVersion" -> "15.0";
                case "getDriverName" -> "PostgreSQL JDBC Driver";
                case "getConnection" -> connection;
                default -> defaultFor(method, self, args);
            };
        }
    }

    private static final class StubDataSource implements DataSource {
        private PrintWriter log;
        private int loginTimeout;

        @Override
        public Connection getConnection() {
            return connection();
        }

        @Override
        public Connection getConnection(String username, String password) {
            return connection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return log;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            log = out;
        }

        @Override
        public void setLoginTimeout(int seconds) {
            loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no java.util.logging here");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("not a wrapper of " + type.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }
}
