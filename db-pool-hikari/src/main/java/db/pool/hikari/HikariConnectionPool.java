package db.pool.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import db.api.DatabaseTarget;
import db.api.PoolClosedException;
import db.api.spi.ConnectionPool;
import db.core.support.PoolFailures;
import db.core.support.TrackedConnections;
import db.api.spi.PoolCounters;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** A started HikariCP pool as the core sees it. Thread-safe. */
final class HikariConnectionPool implements ConnectionPool {
    private static final Logger LOG = LogManager.getLogger(HikariConnectionPool.class);

    private final String name;
    private final DatabaseTarget target;
    private volatile int min;
    private volatile int max;
    private final Duration checkoutTimeout;
    /**
     * After the close timeout: the longest {@code close()} waits for the cancel requests to be delivered,
     * and again for the cancelled sessions to come back, before HikariCP aborts what is left.
     */
    static final Duration CANCEL_BOUND = Duration.ofSeconds(2);
    /**
     * One wait inside HikariCP lasts at most this long; {@link #borrow(long)} waits again until its
     * deadline, looking at HikariCP's last connect failure in between.
     */
    static final long WAIT_SLICE_MS = 100;
    private final Duration closeTimeout;
    private final HikariConfig settings;
    private final HikariPool hikari;
    private final TrackedConnections physical;
    private final Runnable releaseName;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    HikariConnectionPool(String name, DatabaseTarget target, int min, int max, Duration checkoutTimeout,
                         Duration closeTimeout, HikariConfig settings, HikariPool hikari, TrackedConnections physical, Runnable releaseName) {
        this.name = name;
        this.target = target;
        this.min = min;
        this.max = max;
        this.checkoutTimeout = checkoutTimeout;
        this.closeTimeout = closeTimeout;
        this.settings = settings;
        this.hikari = hikari;
        this.physical = physical;
        this.releaseName = releaseName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration checkoutTimeout() {
        return checkoutTimeout;
    }

    /**
     * Lends HikariCP's own proxy connection: closing it gives it back. HikariCP validates a connection
     * idle past 500 ms before lending it and replaces a dead one within the same deadline.
     */
    @Override
    public Connection borrow(long deadlineNanos) throws SQLException {
        if (closed.get()) {
            throw closedException(null);
        }
        return checkout(deadlineNanos);
    }

    /**
     * Evicts the connection: HikariCP closes the physical connection now (it is still lent, so it is the
     * caller's) and frees its slot; the proxy is not given back afterwards. A connection already given
     * back is ignored, since its pool entry may have been lent again.
     */
    @Override
    public void discard(Connection lent) {
        try {
            if (lent == null || lent.isClosed()) {
                return;
            }
            hikari.evictConnection(lent);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Pool '{}': discarding a connection failed", name, e);
        }
    }

    /**
     * New bounds through HikariCP's runtime settings. Shrinking below the connections open now retires
     * every connection (HikariCP has no "close idle above n" call): idle ones close at once, lent ones
     * when given back, and the pool refills up to the new minimum only.
     */
    @Override
    public synchronized void resize(int minSize, int maxSize) {
        if (minSize < 0 || maxSize < 1 || minSize > maxSize) {
            throw new IllegalArgumentException("need 0 <= min <= max and max >= 1, got min " + minSize
                    + ", max " + maxSize);
        }
        boolean shrinking = maxSize < settings.getMaximumPoolSize();
        if (maxSize >= settings.getMaximumPoolSize()) {
            settings.setMaximumPoolSize(maxSize);
            settings.setMinimumIdle(minSize);
        } else {
            settings.setMinimumIdle(minSize);
            settings.setMaximumPoolSize(maxSize);
        }
        min = minSize;
        max = maxSize;
        if (shrinking && hikari.getTotalConnections() > maxSize) {
            hikari.softEvictConnections();
        }
        LOG.info("Pool '{}' resized to min {}, max {}", name, minSize, maxSize);
    }

    /** Every connection retired: idle ones now, lent ones when given back (HikariCP's soft eviction). */
    @Override
    public void evictAll() {
        hikari.softEvictConnections();
    }

    /**
     * HikariCP's checkout, waiting in slices until the deadline. HikariCP keeps retrying a failing
     * connect until its timeout and never fails a waiter early; a slice that ends with a connect failure
     * goes to the core at once (as c3p0's given-up acquisition does), which fails a refusal by a server
     * that answered (authentication, init SQL) now and waits for a reconnect otherwise.
     */
    private Connection checkout(long deadlineNanos) throws SQLException {
        long start = System.nanoTime();
        while (true) {
            // Rounded up: a deadline less than a millisecond away still gets one try.
            long remainingMs = (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000;
            try {
                return hikari.getConnection(Math.max(1, Math.min(remainingMs, WAIT_SLICE_MS)));
            } catch (SQLException e) {
                if (closed.get() || hikari.poolState == HikariPool.POOL_SHUTDOWN) {
                    throw closedException(e);
                }
                if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                    throw e;
                }
                if (!(e instanceof SQLTransientConnectionException)) {
                    throw e;
                }
                // HikariCP's timeout: its cause is the pool's last connect failure, if any.
                Throwable connectFailure = e.getCause();
                int busy = hikari.getActiveConnections();
                if (busy < max && connectFailure != null && PoolFailures.hasDriverCause(connectFailure)) {
                    Exception failure = PoolFailures.cannotConnect(name, target, connectFailure);
                    failure.addSuppressed(e);
                    if (failure instanceof SQLException sqlException) {
                        throw sqlException;
                    }
                    throw (RuntimeException) failure;
                }
                if (System.nanoTime() - deadlineNanos < 0) {
                    continue; // one slice passed; wait again until the deadline
                }
                timeouts.incrementAndGet();
                long waitedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (busy < max) {
                    throw PoolFailures.noConnectionInTime(name, target, waitedMs, busy, max, connectFailure, e);
                }
                throw PoolFailures.exhausted(name, waitedMs, checkoutTimeout, max, busy,
                        hikari.getThreadsAwaitingConnection(), e);
            }
        }
    }

    @Override
    public PoolCounters counters() {
        if (!closed.get()) {
            // Each HikariCP counter is read separately; total is derived so that a snapshot always
            // satisfies total == idle + busy.
            int idle = hikari.getIdleConnections();
            int busy = hikari.getActiveConnections();
            int pending = hikari.getThreadsAwaitingConnection();
            return new Counters(idle, busy, pending, max, min, timeouts.get(), physical.createdCount(),
                    physical.closedCount());
        }
        int open = physical.openCount();
        return new Counters(0, open, 0, max, min, timeouts.get(), physical.createdCount(), physical.closedCount());
    }

    /** One snapshot of {@link #counters()}. */
    private record Counters(int idle, int busy, int pending, int max, int min, long timeouts, long created,
                            long closed) implements PoolCounters {
    }

    /**
     * Drains: no new checkouts; idle connections close at once, lent ones when they come back; after
     * the grace period ({@code db.pool.close-timeout}) HikariCP's shutdown aborts whatever is still lent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // No refill while draining: HikariCP tops up to minimumIdle after every close otherwise.
            settings.setMinimumIdle(0);
        } catch (RuntimeException e) {
            LOG.debug("Pool '{}': could not lower the minimum before draining", name, e);
        }
        // No new physical connections from now on: a connect HikariCP started just before fails or is aborted.
        physical.shutDown();
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        boolean interrupted = false;
        while (true) {
            // Marks every connection evicted: idle ones close now, lent ones when they are given back. Again
            // on every turn, for a connection whose connect finished just before the shutdown.
            hikari.softEvictConnections();
            if (hikari.getTotalConnections() == 0 || System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        int lent = hikari.getActiveConnections();
        if (lent > 0 && !interrupted) {
            // Cancel before abort: aborting only closes the socket, and the server would go on running the
            // statements and holding their locks. Cancelled sessions fail and come back; then abort the rest.
            int cancelled = physical.cancelRemaining(CANCEL_BOUND);
            long cancelDeadline = System.nanoTime() + CANCEL_BOUND.toNanos();
            while (cancelled > 0 && hikari.getActiveConnections() > 0 && System.nanoTime() - cancelDeadline < 0) {
                hikari.softEvictConnections();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            LOG.warn("Pool '{}': {} connection(s) still lent out {} ms after close: {} cancel request(s) sent", name,
                    lent, closeTimeout.toMillis(), cancelled);
        }
        try {
            hikari.shutdown();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        int aborted = physical.abortRemaining();
        if (lent > 0 || aborted > 0) {
            LOG.warn("Pool '{}': {} connection(s) still lent out {} ms after close; aborted them", name,
                    Math.max(lent, aborted), closeTimeout.toMillis());
        }
        releaseName.run();
        LOG.info("Pool '{}' to {} closed ({} connections opened, {} closed)", name, target,
                physical.createdCount(), physical.closedCount());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private PoolClosedException closedException(Throwable cause) {
        return new PoolClosedException("Pool '" + name + "' is closed", cause);
    }

    @Override
    public String toString() {
        return "HikariConnectionPool[" + name + " -> " + target + "]";
    }
}
