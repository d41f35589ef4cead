package db.pool.hikari;

import db.api.spi.ForwardingConnection;
import db.api.spi.StatementCancel;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link DataSource} HikariCP gets its physical connections from: the core's one source
 * ({@link db.api.spi.PoolContext#connections()}, which reports creation, runs the initializers and backs
 * off), wrapped to count opens and closes for the statistics, keep the connection a fail-fast start made
 * for the pool's first acquisition, and know which physical connections are still open so that
 * {@code close()} can drain for real.
 */
final class PhysicalConnections implements DataSource {
    private final DataSource driver;
    private final String description;
    private final int loginTimeoutSeconds;
    private final Set<Physical> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicReference<Physical> primed = new AtomicReference<>();
    private volatile boolean shutDown;

    /**
     * @param driver      the core's source of physical connections
     * @param description what {@link #toString()} shows; HikariCP may log it, so it never holds a secret
     * @param loginTimeoutSeconds the driver's login timeout; HikariCP's shutdown waits this long for a
     *                            connect in progress
     */
    PhysicalConnections(DataSource driver, String description, int loginTimeoutSeconds) {
        this.driver = driver;
        this.description = description;
        this.loginTimeoutSeconds = loginTimeoutSeconds;
    }

    /** Opens one connection now; with {@code keep} it becomes the pool's first, else it is closed again. */
    void prime(boolean keep) throws SQLException {
        Physical c = connect();
        if (!keep) {
            c.close();
            return;
        }
        Physical previous = primed.getAndSet(c);
        if (previous != null) {
            previous.abortNow();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Physical first = primed.getAndSet(null);
        return first != null ? first : connect();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        // HikariCP asks with credentials only when its own username/password are set, which this provider never does.
        throw new SQLFeatureNotSupportedException("credentials travel as driver properties, not per call");
    }

    private Physical connect() throws SQLException {
        if (shutDown) {
            throw new SQLException("the pool is closed", "08003");
        }
        Connection raw = driver.getConnection();
        Physical c = new Physical(raw);
        created.incrementAndGet();
        open.add(c);
        if (shutDown) {
            // Raced with close(): HikariCP's adder finished a connect it started earlier.
            c.abortNow();
            throw new SQLException("the pool is closed", "08003");
        }
        return c;
    }

    /** No new connections from now on; a primed connection nobody took is closed. */
    void shutDown() {
        shutDown = true;
        Physical first = primed.getAndSet(null);
        if (first != null) {
            first.abortNow();
        }
    }

    /**
     * Sends the driver's cancel request for every connection still open (lent out past the close grace
     * period), waiting at most {@code bound} for the requests; returns how many were acknowledged.
     */
    int cancelRemaining(Duration bound) {
        return StatementCancel.cancelAll(List.copyOf(open), bound);
    }

    /** Aborts whatever is still open; returns how many. */
    int abortRemaining() {
        List<Physical> left = List.copyOf(open);
        left.forEach(Physical::abortNow);
        return left.size();
    }

    int openCount() {
        return open.size();
    }

    long createdCount() {
        return created.get();
    }

    long closedCount() {
        return closed.get();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // pgjdbc logs through java.util.logging; nothing to set
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the login timeout is a driver property (loginTimeout), fixed at start
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * The driver's connection as HikariCP holds it: a plain delegate that counts its own close once, so
     * that {@code closed} in the statistics counts real closes. HikariCP's proxy sits in front of it.
     */
    private final class Physical extends ForwardingConnection {
        private final AtomicBoolean done = new AtomicBoolean();

        Physical(Connection delegate) {
            super(delegate);
        }

        @Override
        public void close() throws SQLException {
            try {
                delegate().close();
            } finally {
                closedOnce();
            }
        }

        @Override
        public void abort(Executor executor) throws SQLException {
            try {
                delegate().abort(executor);
            } finally {
                closedOnce();
            }
        }

        void abortNow() {
            try {
                delegate().abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // already gone, or the driver refused: nothing is left to close either way
            } finally {
                closedOnce();
            }
        }

        private void closedOnce() {
            if (done.compareAndSet(false, true) && open.remove(this)) {
                closed.incrementAndGet();
            }
        }

        /** Reaches the driver's connection itself: HikariCP and applications unwrap to driver interfaces. */
        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(delegate()) ? iface.cast(delegate()) : delegate().unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(delegate()) || delegate().isWrapperFor(iface);
        }
    }
}
