package db.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.resourcepool.TimeoutException;
import db.api.DatabaseTarget;
import db.api.PoolClosedException;
import db.api.PoolStats;
import db.api.spi.ConnectionPool;
import db.api.spi.ForwardingConnection;
import db.api.spi.PoolFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** A started c3p0 pool as the core sees it. Thread-safe. */
final class C3p0Pool implements ConnectionPool {
    private static final Logger LOG = LogManager.getLogger(C3p0Pool.class);

    /**
     * A connection given back less than this long ago is lent without a validation round trip
     * (HikariCP's "alive bypass window" has the same value); an older one is checked with
     * {@code isValid} first.
     */
    static final long VALIDATION_WINDOW_MS = 500;
    private static final long VALIDATION_WINDOW_NANOS = VALIDATION_WINDOW_MS * 1_000_000L;
    /** The longest {@code close()} waits for c3p0's helper threads to finish what they started. */
    private static final long HELPER_QUIESCE_NANOS = 2_000_000_000L;

    private final String name;
    private final DatabaseTarget target;
    private final int min;
    private final int max;
    private final Duration checkoutTimeout;
    private final Duration closeTimeout;
    private final int validationTimeoutSeconds;
    private final PoolBackedDataSource c3p0;
    private final PhysicalConnections physical;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    C3p0Pool(String name, DatabaseTarget target, int min, int max, Duration checkoutTimeout, Duration closeTimeout,
             int validationTimeoutSeconds, PoolBackedDataSource c3p0, PhysicalConnections physical) {
        this.name = name;
        this.target = target;
        this.min = min;
        this.max = max;
        this.checkoutTimeout = checkoutTimeout;
        this.closeTimeout = closeTimeout;
        this.validationTimeoutSeconds = validationTimeoutSeconds;
        this.c3p0 = c3p0;
        this.physical = physical;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Lends a connection: c3p0's, validated first when it has been idle past the validation window.
     * A broken one is discarded and another taken, at most {@code max + 1} times (then every
     * connection the pool had was dead, and the fresh ones c3p0 makes are not idle).
     */
    @Override
    public Connection borrow() throws SQLException {
        if (closed.get()) {
            throw closedException(null);
        }
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            Connection proxy = checkout(start);
            PhysicalConnection physicalConnection = proxy.unwrap(PhysicalConnection.class);
            if (physicalConnection.usedWithin(VALIDATION_WINDOW_NANOS) || attempt > max
                    || isValid(physicalConnection)) {
                return new Lent(proxy, physicalConnection);
            }
            discard(proxy, physicalConnection);
        }
    }

    private boolean isValid(PhysicalConnection connection) {
        try {
            return connection.isValid(validationTimeoutSeconds);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Takes a dead connection out of the pool. c3p0 learns a connection is broken from an exception
     * with a connection-class SQLSTATE: so the physical connection is aborted, one call through the
     * proxy fails with the driver's 08003, and c3p0 then destroys it on close instead of pooling it.
     */
    private static void discard(Connection proxy, PhysicalConnection physicalConnection) {
        physicalConnection.abortNow();
        try (Statement probe = proxy.createStatement()) {
            LOG.debug("A connection that failed validation still answered createStatement ({})", probe);
        } catch (SQLException expected) {
            // what tells c3p0 the connection is broken
        }
        try {
            proxy.close();
        } catch (SQLException e) {
            LOG.debug("Closing a discarded connection failed (SQLSTATE {})", e.getSQLState());
        }
    }

    /**
     * The connection the core gets: closing it records the time for the validation window, then gives
     * the proxy back to c3p0, once.
     */
    private static final class Lent extends ForwardingConnection {
        private final PhysicalConnection physicalConnection;
        private boolean returned;

        Lent(Connection proxy, PhysicalConnection physicalConnection) {
            super(proxy);
            this.physicalConnection = physicalConnection;
        }

        @Override
        public void close() throws SQLException {
            if (returned) {
                return;
            }
            returned = true;
            physicalConnection.markUsed();
            delegate().close();
        }

        @Override
        public boolean isClosed() throws SQLException {
            return returned || delegate().isClosed();
        }
    }

    /** c3p0's checkout, with its failures turned into the exceptions the core expects. */
    private Connection checkout(long start) throws SQLException {
        try {
            return c3p0.getConnection();
        } catch (SQLException e) {
            if (closed.get()) {
                throw closedException(e);
            }
            if (Thread.currentThread().isInterrupted() || hasCause(e, InterruptedException.class)) {
                throw e;
            }
            long waitedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            Throwable acquireFailure = lastAcquisitionFailure();
            if (hasCause(e, TimeoutException.class)) {
                timeouts.incrementAndGet();
                int busy = count(Counter.BUSY);
                if (busy >= 0 && busy < max) {
                    throw PoolFailures.noConnectionInTime(name, target, waitedMs, busy, max, acquireFailure, e);
                }
                throw PoolFailures.exhausted(name, waitedMs, checkoutTimeout, max, busy, count(Counter.PENDING), e);
            }
            // c3p0 gave up acquiring (its retries failed): its exception nests the driver's.
            Throwable reason = PoolFailures.hasDriverCause(e) || acquireFailure == null ? e : acquireFailure;
            Exception failure = PoolFailures.cannotConnect(name, target, reason);
            if (failure instanceof SQLException) {
                throw (SQLException) failure;
            }
            if (reason != e) {
                failure.addSuppressed(e);
            }
            throw (RuntimeException) failure;
        }
    }

    private void awaitIdleHelperThreads(long deadlineNanos) {
        try {
            while (c3p0.getThreadPoolNumActiveThreads() > 0 || c3p0.getThreadPoolNumTasksPending() > 0) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    return;
                }
                Thread.sleep(5);
            }
        } catch (SQLException | RuntimeException e) {
            // c3p0 has no pool to ask about: nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PoolClosedException closedException(Throwable cause) {
        return new PoolClosedException("Pool '" + name + "' is closed", cause);
    }

    private Throwable lastAcquisitionFailure() {
        try {
            return c3p0.getLastAcquisitionFailureDefaultUser();
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private enum Counter { IDLE, BUSY, PENDING }

    /** One c3p0 counter; -1 when c3p0 cannot say (it has been closed under us). */
    private int count(Counter counter) {
        try {
            switch (counter) {
                case IDLE:
                    return c3p0.getNumIdleConnectionsDefaultUser();
                case BUSY:
                    return c3p0.getNumBusyConnectionsDefaultUser();
                default:
                    return c3p0.getNumThreadsAwaitingCheckoutDefaultUser();
            }
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public PoolStats stats() {
        if (!closed.get()) {
            // c3p0 answers each counter under its lock separately; total is derived so that a snapshot
            // always satisfies total == idle + busy, even while an acquisition completes in between.
            int busy = count(Counter.BUSY);
            int idle = count(Counter.IDLE);
            int pending = count(Counter.PENDING);
            if (idle >= 0 && busy >= 0 && pending >= 0) {
                return new PoolStats(name, idle + busy, idle, busy, pending, max, min, timeouts.get(), 0,
                        physical.createdCount(), physical.closedCount());
            }
        }
        // Closed (or closing): c3p0 answers no more, the physical connections still open are the truth.
        int open = physical.openCount();
        return new PoolStats(name, open, 0, open, 0, max, min, timeouts.get(), 0,
                physical.createdCount(), physical.closedCount());
    }

    /**
     * Drains: no new checkouts; c3p0 closes idle connections at once and lent ones when they come
     * back; after the grace period ({@code db.pool.close-timeout}) whatever is still lent out is aborted.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // An acquisition still running when c3p0's pool closes fails, and c3p0 then schedules its retry on
        // a timer it has already cancelled (an IllegalStateException on its helper thread). Let the
        // helper threads finish what they started, briefly, before closing.
        awaitIdleHelperThreads(System.nanoTime() + Math.min(closeTimeout.toNanos(), HELPER_QUIESCE_NANOS));
        physical.shutDown();
        // false: do not destroy checked-out connections; c3p0 destroys each when it is checked in.
        c3p0.resetPoolManager(false);
        boolean drained = physical.awaitAllClosed(System.nanoTime() + closeTimeout.toNanos());
        if (!drained) {
            int aborted = physical.abortRemaining();
            if (aborted > 0) {
                LOG.warn("Pool '{}': {} connection(s) still lent out {} ms after close; aborted them",
                        name, aborted, closeTimeout.toMillis());
            }
        }
        // Marks the data source closed and takes it out of c3p0's registry (and JMX).
        c3p0.close();
        LOG.info("Pool '{}' to {} closed ({} connections opened, {} closed)", name, target,
                physical.createdCount(), physical.closedCount());
    }

    @Override
    public String toString() {
        return "C3p0Pool[" + name + " -> " + target + "]";
    }
}
