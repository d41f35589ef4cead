package db.pool.c3p0;

import db.api.spi.StatementCancel;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The unpooled {@link DataSource} c3p0 gets its physical connections from: the core's
 * ({@link db.api.spi.PoolContext#connections()}), with each connection wrapped so that closes are
 * counted, and knowing which physical connections are still open, so the pool can drain for real on close.
 */
final class PhysicalConnections implements DataSource {
    private final DataSource driver;
    private final String description;
    private final Set<PhysicalConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    /** The connection made by a fail-fast start, handed to c3p0 as its first acquisition. */
    private final AtomicReference<PhysicalConnection> primed = new AtomicReference<>();
    private volatile boolean shutDown;

    /**
     * @param driver      the core's source of physical connections (it reports their creation)
     * @param description what {@link #toString()} shows; c3p0 logs it, so it never holds a secret
     */
    PhysicalConnections(DataSource driver, String description) {
        this.driver = driver;
        this.description = description;
    }

    /**
     * Opens one connection now; with {@code keep} it is kept for c3p0's first acquisition, so a
     * fail-fast start costs no extra connection.
     */
    void prime(boolean keep) throws SQLException {
        PhysicalConnection c = connect();
        if (!keep) {
            c.close();
            return;
        }
        PhysicalConnection previous = primed.getAndSet(c);
        if (previous != null) {
            previous.abortNow();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        PhysicalConnection first = primed.getAndSet(null);
        if (first != null) {
            return first;
        }
        return connect();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        // c3p0 asks with credentials only for per-user pools, which this provider never creates.
        throw new SQLFeatureNotSupportedException("per-user connections are not supported by this pool");
    }

    private PhysicalConnection connect() throws SQLException {
        if (shutDown) {
            throw new SQLException("the pool is closed", "08003");
        }
        Connection raw = driver.getConnection();
        PhysicalConnection c = new PhysicalConnection(raw, this);
        created.incrementAndGet();
        open.add(c);
        if (shutDown) {
            // Raced with close(): an acquisition c3p0 started earlier finished late.
            c.abortNow();
            throw new SQLException("the pool is closed", "08003");
        }
        return c;
    }

    /** Called once by each {@link PhysicalConnection} when it is closed or aborted. */
    void closed(PhysicalConnection c) {
        if (open.remove(c)) {
            closed.incrementAndGet();
        }
    }

    /** No new connections from now on; a primed connection nobody took is closed. */
    void shutDown() {
        shutDown = true;
        PhysicalConnection first = primed.getAndSet(null);
        if (first != null) {
            try {
                first.close();
            } catch (SQLException e) {
                first.abortNow();
            }
        }
    }

    /** Waits until every physical connection is closed or the deadline passes; true when none is left. */
    boolean awaitAllClosed(long deadlineNanos) {
        while (!open.isEmpty()) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return open.isEmpty();
            }
        }
        return true;
    }

    /**
     * Sends the driver's cancel request for every connection still open (lent out past the close grace
     * period), waiting at most {@code bound} for the requests; returns how many were acknowledged.
     */
    int cancelRemaining(Duration bound) {
        return StatementCancel.cancelAll(List.copyOf(open), bound);
    }

    /** Aborts whatever is still open (connections lent out past the close grace period); returns how many. */
    int abortRemaining() {
        List<PhysicalConnection> left = List.copyOf(open);
        left.forEach(PhysicalConnection::abortNow);
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
        return 0;
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
}
