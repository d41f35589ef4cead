package db.core.support;

import db.api.spi.PoolContext;
import db.api.DbConfig;
import db.core.tls.TlsRejection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * The unpooled {@link DataSource} a provider hands its pool: the core's source of physical connections
 * ({@link PoolContext#connections()}), each connection wrapped so that its close is counted once, knowing
 * which physical connections are still open so that the pool's {@code close()} can drain for real (wait,
 * cancel, then abort what is left), and keeping the connection a fail-fast start made for the pool's first
 * acquisition. Thread-safe.
 */
public final class TrackedConnections extends ConfiguredDataSource {
    private final DataSource source;
    private final String description;
    private final Set<Physical> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    /** The connection made by a fail-fast start, handed to the pool as its first acquisition. */
    private final AtomicReference<Physical> primed = new AtomicReference<>();
    private volatile boolean shutDown;
    /** See {@link #permanentFailure()}. */
    private volatile SQLException refused;

    /**
     * Tracks the connections {@code source} makes.
     *
     * @param source      the core's source of physical connections (it reports their creation)
     * @param description what {@link #toString()} shows; pools log it, so it never holds a secret
     */
    public TrackedConnections(DataSource source, String description) {
        this.source = source;
        this.description = description;
    }

    /**
     * The physical connections of a pool that {@code context} starts. With {@code db.pool.fail-fast} one
     * connection is made at once: with a minimum size it becomes the pool's first, without one it is closed
     * again, so the pool holds nothing its library does not know about. A failure ends the start with
     * {@link PoolFailures#cannotConnectAtStart}, so every provider fails its start in the same way.
     *
     * @param description what {@link #toString()} shows; pools log it, so it never holds a secret
     * @param context the context of the pool being started
     * @return the tracker, to close with the pool
     */
    public static TrackedConnections forStart(PoolContext context, String description) {
        DbConfig config = context.config();
        TrackedConnections physical = new TrackedConnections(context.connections(), description);
        if (config.failFast()) {
            try {
                physical.prime(config.minSize() > 0);
            } catch (SQLException | RuntimeException e) {
                throw PoolFailures.cannotConnectAtStart(config, e);
            }
        }
        return physical;
    }

    /**
     * Opens one connection now; with {@code keep} it is kept for the pool's first acquisition (a fail-fast
     * start costs no extra connection), else it is closed again.
     *
     * @param keep whether to keep the connection for the pool's first acquisition
     * @throws java.sql.SQLException when the connection cannot be made
     */
    public void prime(boolean keep) throws SQLException {
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

    /** The primed connection if one is waiting, else a new one; a {@link Physical} either way. */
    @Override
    public Connection getConnection() throws SQLException {
        Physical first = primed.getAndSet(null);
        return first != null ? first : connect();
    }

    private Physical connect() throws SQLException {
        if (shutDown) {
            throw new SQLException("the pool is closed", "08003");
        }
        Physical c;
        try {
            c = new Physical(source.getConnection());
        } catch (SQLException e) {
            if (TlsRejection.in(e)) {
                refused = e;
            }
            throw e;
        }
        refused = null;
        created.incrementAndGet();
        open.add(c);
        if (shutDown) {
            // Raced with shutDown(): a connect the pool started earlier finished late.
            c.abortNow();
            throw new SQLException("the pool is closed", "08003");
        }
        return c;
    }

    /**
     * The permanent TLS failure of the last connect attempt that reached the server, or null: set by a
     * {@link db.api.TlsRejectedException}-to-be, cleared by the next connection made. A pool library that retries
     * acquisitions on its own (c3p0) reads it to fail a waiting checkout now instead of after its retries.
     *
     * @return the last attempt's permanent TLS failure, or {@code null}
     */
    public SQLException permanentFailure() {
        return refused;
    }

    /** The core's login timeout ({@code db.connect-timeout}); HikariCP's shutdown waits this long for a connect. */
    @Override
    public int getLoginTimeout() throws SQLException {
        return source.getLoginTimeout();
    }

    /** No new connections from now on; a primed connection nobody took is closed. */
    public void shutDown() {
        shutDown = true;
        Physical first = primed.getAndSet(null);
        if (first != null) {
            try {
                first.close();
            } catch (SQLException e) {
                first.abortNow();
            }
        }
    }

    /**
     * Waits until every physical connection is closed or the deadline ({@code System.nanoTime()}) passes.
     *
     * @param deadlineNanos when to stop waiting, a {@link System#nanoTime()} value
     * @return whether every physical connection is closed
     */
    public boolean awaitAllClosed(long deadlineNanos) {
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
     *
     * @param bound how long to wait for the requests to be delivered
     * @return how many cancel requests were acknowledged
     */
    public int cancelRemaining(Duration bound) {
        return StatementCancel.cancelAll(List.copyOf(open), bound);
    }

    /**
     * Aborts whatever is still open; returns how many.
     *
     * @return how many connections were aborted
     */
    public int abortRemaining() {
        List<Physical> left = List.copyOf(open);
        left.forEach(Physical::abortNow);
        return left.size();
    }

    /** {@return physical connections open now} */
    public int openCount() {
        return open.size();
    }

    /** {@return physical connections opened so far} */
    public long createdCount() {
        return created.get();
    }

    /** {@return physical connections closed or aborted so far, each counted once} */
    public long closedCount() {
        return closed.get();
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * The driver's connection as the pool holds it: a plain delegate that counts its own close once (a pool
     * may close twice, after a failed test) and knows when it was last given back. The pool's proxy sits in
     * front of it, so applications never see it.
     */
    public final class Physical extends ForwardingConnection {
        private final AtomicBoolean done = new AtomicBoolean();
        /** When the application last gave it back (or when it was made). */
        private volatile long lastUsedNanos = System.nanoTime();

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

        /** Cuts the socket without waiting for a query in progress; never throws. */
        public void abortNow() {
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

        /** Records that the application just gave the connection back. */
        public void markUsed() {
            lastUsedNanos = System.nanoTime();
        }

        /**
         * {@return whether the connection was given back (or made) less than {@code windowNanos} ago}
         *
         * @param windowNanos the window, in nanoseconds
         */
        public boolean usedWithin(long windowNanos) {
            return System.nanoTime() - lastUsedNanos < windowNanos;
        }

        /**
         * This connection for its own type; otherwise the driver's connection itself (pools and applications
         * unwrap to driver interfaces, {@link StatementCancel} to {@code Connection}).
         */
        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type == Physical.class) {
                return type.cast(this);
            }
            return type.isInstance(delegate()) ? type.cast(delegate()) : delegate().unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(delegate()) || delegate().isWrapperFor(type);
        }
    }
}
