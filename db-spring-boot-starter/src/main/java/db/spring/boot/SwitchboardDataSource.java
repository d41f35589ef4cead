package db.spring.boot;

import db.api.Database;
import db.api.spi.BoundTransaction;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The application's {@link DataSource}: on a thread with a bound Switchboard transaction (one
 * {@code @Transactional} began through {@link SwitchboardTransactionManager}, or one
 * {@code Database.inTransaction} runs) it hands out that transaction's connection, whose {@code close()}
 * does nothing, so that JDBC code (JdbcTemplate, jOOQ, Flyway) joins the transaction; otherwise a
 * connection of {@link Database#dataSource()} in autocommit mode. Closing nothing itself: the
 * {@link Database} bean closes the pool.
 */
public final class SwitchboardDataSource implements DataSource {
    private final Database database;
    private final DataSource pool;

    /**
     * A data source over {@code database}.
     *
     * @param database the database whose sessions it hands out
     */
    public SwitchboardDataSource(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        this.pool = database.dataSource();
    }

    /**
     * The database behind it.
     *
     * @return the database
     */
    public Database database() {
        return database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Optional<BoundTransaction> bound = database.threadTransactions().current();
        if (bound.isPresent()) {
            return joined(bound.get());
        }
        return pool.getConnection();
    }

    /** Refused: the user and password come from the configuration ({@code db.user}, {@code db.password}). */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("Switchboard connects as the configured user (db.user); "
                + "getConnection(user, password) is not supported");
    }

    /**
     * The connection of {@code transaction}: every call goes to its session's instrumented connection, and
     * {@code close()} only ends this handle, never the transaction (its owner commits or rolls back).
     */
    static Connection joined(BoundTransaction transaction) {
        return (Connection) Proxy.newProxyInstance(SwitchboardDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Joined(transaction));
    }

    /** The handler of {@link #joined}: forwards to the transaction's connection, ignores close. */
    private static final class Joined implements InvocationHandler {
        private final BoundTransaction transaction;
        private boolean closed;

        Joined(BoundTransaction transaction) {
            this.transaction = transaction;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    closed = true;
                    return null;
                }
                case "isClosed" -> {
                    return closed || transaction.completed();
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "Connection[joined " + transaction + "]";
                }
                default -> {
                    // every other method goes to the transaction's connection, below
                }
            }
            if (closed && !"isValid".equals(method.getName())) {
                throw new SQLException("This connection handle was closed", "08003");
            }
            try {
                return method.invoke(transaction.connection(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }

    @Override
    public String toString() {
        return "SwitchboardDataSource[" + database + "]";
    }
}
