package db.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.resourcepool.TimeoutException;
import db.api.ConnectionException;
import db.api.DatabaseTarget;
import db.api.PoolClosedException;
import db.api.spi.ConnectionPool;
import db.core.support.PoolFailures;
import db.core.support.TrackedConnections;
import db.core.support.TrackedConnections.Physical;
import db.api.spi.PoolCounters;
import db.pool.c3p0.C3p0Generation.Counter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A started c3p0 pool as the core sees it. Thread-safe.
 *
 * <p>c3p0 fixes a pool's minimum and maximum size when it creates it, so {@link #resize} starts a new
 * c3p0 pool (a generation) with the new bounds and retires the old one: its idle connections close at
 * once, its lent ones when they come back. The generations are {@link C3p0Generation}s, the connections
 * the core gets {@link LentConnection}s.
 */
final class C3p0Pool implements ConnectionPool {
    private static final Logger LOG = LogManager.getLogger(C3p0Pool.class);

    /**
     * A connection given back less than this long ago is lent without a validation round trip
     * (HikariCP's "alive bypass window" has the same value); an older one is checked with
     * {@code isValid} first.
     */
    static final long VALIDATION_WINDOW_MS = 500;
    private static final long VALIDATION_WINDOW_NANOS = VALIDATION_WINDOW_MS * 1_000_000L;
    /**
     * c3p0's own checkout timeout: one wait inside c3p0 lasts at most this long, and {@link #borrow(long)}
     * waits again until its deadline. c3p0 has no per-call timeout; this keeps the overrun of a deadline
     * below this value.
     */
    static final int C3P0_WAIT_SLICE_MS = 100;
    /**
     * After the close timeout: the longest {@code close()} waits for the cancel requests to be delivered,
     * and again for the cancelled sessions to come back, before it aborts what is left.
     */
    static final Duration CANCEL_BOUND = Duration.ofSeconds(2);
    /** The longest {@code close()} waits for c3p0's helper threads to finish what they started. */
    private static final long HELPER_QUIESCE_NANOS = 2_000_000_000L;

    private final String name;
    private final DatabaseTarget target;
    private final Duration checkoutTimeout;
    private final Duration closeTimeout;
    private final int validationTimeoutSeconds;
    private final TrackedConnections physical;
    /** Makes the c3p0 pool of a generation for (min, max). */
    private final BiFunction<Integer, Integer, PoolBackedDataSource> factory;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<C3p0Generation> retiring = new CopyOnWriteArrayList<>();
    private final ReentrantLock resizeLock = new ReentrantLock();
    private volatile C3p0Generation current;

    C3p0Pool(String name, DatabaseTarget target, int min, int max, Duration checkoutTimeout, Duration closeTimeout,
             int validationTimeoutSeconds, PoolBackedDataSource c3p0, TrackedConnections physical,
             BiFunction<Integer, Integer, PoolBackedDataSource> factory) {
        this.name = name;
        this.target = target;
        this.checkoutTimeout = checkoutTimeout;
        this.closeTimeout = closeTimeout;
        this.validationTimeoutSeconds = validationTimeoutSeconds;
        this.physical = physical;
        this.factory = factory;
        this.current = new C3p0Generation(c3p0, min, max);
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
     * Lends a connection: c3p0's, validated first when it has been idle past the validation window.
     * A broken one is discarded and another taken, within the same deadline, at most {@code max + 1}
     * times (then every connection the pool had was dead, and the fresh ones c3p0 makes are not idle).
     */
    @Override
    public Connection borrow(long deadlineNanos) throws SQLException {
        if (closed.get()) {
            throw closedException(null);
        }
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            C3p0Generation g = current;
            Connection proxy = checkout(g, start, deadlineNanos);
            Physical physicalConnection;
            try {
                physicalConnection = proxy.unwrap(Physical.class);
            } catch (SQLException | RuntimeException e) {
                giveBack(g, proxy);
                throw e;
            }
            if (physicalConnection.usedWithin(VALIDATION_WINDOW_NANOS) || attempt > g.max
                    || isValid(physicalConnection, deadlineNanos)) {
                return new LentConnection(this, proxy, physicalConnection, g);
            }
            discard(proxy, physicalConnection);
            release(g);
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw new ConnectionException("Pool '" + name + "' found only dead connections to " + target
                        + " within " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (" + (attempt + 1)
                        + " discarded)");
            }
        }
    }

    /** {@code isValid} bounded by the deadline (whole seconds, at least 1: the driver's granularity). */
    private boolean isValid(Physical connection, long deadlineNanos) {
        long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        int seconds = (int) Math.max(1, Math.min(validationTimeoutSeconds, (remainingMs + 999) / 1000));
        try {
            return connection.isValid(seconds);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static void giveBack(C3p0Generation g, Connection proxy) {
        try {
            proxy.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Giving back a connection failed", e);
        } finally {
            g.lent.decrementAndGet();
        }
    }

    /**
     * Takes a dead connection out of the pool. c3p0 learns a connection is broken from an exception
     * with a connection-class SQLSTATE: so the physical connection is aborted, one call through the
     * proxy fails with the driver's 08003, and c3p0 then destroys it on close instead of pooling it.
     */
    static void discard(Connection proxy, Physical physicalConnection) {
        physicalConnection.abortNow();
        try (Statement probe = proxy.createStatement()) {
            LOG.debug("A discarded connection still answered createStatement ({})", probe);
        } catch (SQLException expected) {
            // what tells c3p0 the connection is broken
        }
        try {
            proxy.close();
        } catch (SQLException e) {
            LOG.debug("Closing a discarded connection failed (SQLSTATE {})", e.getSQLState());
        }
    }

    @Override
    public void discard(Connection lent) {
        if (lent instanceof LentConnection lentConnection) {
            lentConnection.discard();
            return;
        }
        try {
            lent.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing a connection this pool did not lend failed", e);
        }
    }

    /** One lent connection of a generation has come back (or was discarded). */
    void release(C3p0Generation g) {
        if (g.lent.decrementAndGet() == 0 && g.retired) {
            closeRetired(g);
        }
    }

    /**
     * c3p0's checkout, waiting in slices until the deadline, with its failures turned into the
     * exceptions the core expects. Counts the connection as lent by {@code g} when it returns.
     */
    private Connection checkout(C3p0Generation first, long start, long deadlineNanos) throws SQLException {
        C3p0Generation g = first;
        while (true) {
            if (g.retired) {
                g = current; // resized meanwhile: borrow from the new generation
            }
            C3p0Generation using = g;
            using.borrowing.incrementAndGet();
            Connection proxy;
            try {
                if (using.retired) {
                    continue;
                }
                proxy = using.c3p0.getConnection();
                using.lent.incrementAndGet();
            } catch (SQLException e) {
                if (hasCause(e, TimeoutException.class) && !closed.get() && System.nanoTime() - deadlineNanos < 0) {
                    SQLException refused = physical.permanentFailure();
                    int busy = using.count(Counter.BUSY);
                    if (refused == null || busy < 0 || busy >= using.max) {
                        continue; // one slice passed; wait again until the deadline
                    }
                    // A new connection is needed and fails in TLS for good: c3p0's own retries cannot help.
                    Exception failure = PoolFailures.cannotConnect(name, target, refused);
                    failure.addSuppressed(e);
                    if (failure instanceof SQLException sqlFailure) {
                        throw sqlFailure;
                    }
                    throw (RuntimeException) failure;
                }
                throw checkoutFailure(using, e, start);
            } finally {
                using.borrowing.decrementAndGet();
            }
            return proxy;
        }
    }

    private SQLException checkoutFailure(C3p0Generation g, SQLException e, long start) {
        if (closed.get()) {
            throw closedException(e);
        }
        if (Thread.currentThread().isInterrupted() || hasCause(e, InterruptedException.class)) {
            return e;
        }
        long waitedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        Throwable acquireFailure = g.lastAcquisitionFailure();
        if (hasCause(e, TimeoutException.class)) {
            timeouts.incrementAndGet();
            int busy = g.count(Counter.BUSY);
            if (busy >= 0 && busy < g.max) {
                throw PoolFailures.noConnectionInTime(name, target, waitedMs, busy, g.max, acquireFailure, e);
            }
            throw PoolFailures.exhausted(name, waitedMs, checkoutTimeout, g.max, busy, g.count(Counter.PENDING), e);
        }
        // c3p0 gave up acquiring (its retries failed): its exception nests the driver's.
        Throwable reason = PoolFailures.hasDriverCause(e) || acquireFailure == null ? e : acquireFailure;
        Exception failure = PoolFailures.cannotConnect(name, target, reason);
        if (failure instanceof SQLException sqlFailure) {
            return sqlFailure;
        }
        if (reason != e) {
            failure.addSuppressed(e);
        }
        throw (RuntimeException) failure;
    }

    // ---- controls ----

    /**
     * Starts a fresh c3p0 pool with the same bounds and retires the current one, as {@link #resize} does:
     * no later borrow can get a connection opened before this call (c3p0's soft reset replaces idle
     * connections asynchronously, so a checkout right after it could still get an old one).
     */
    @Override
    public void evictAll() {
        resizeLock.lock();
        try {
            if (closed.get()) {
                return;
            }
            C3p0Generation old = current;
            current = new C3p0Generation(factory.apply(old.min, old.max), old.min, old.max);
            retire(old);
        } finally {
            resizeLock.unlock();
        }
        LOG.info("Pool '{}': evicted all connections (lent ones close when given back)", name);
    }

    @Override
    public void resize(int minSize, int maxSize) {
        resizeLock.lock();
        try {
            resizeLocked(minSize, maxSize);
        } finally {
            resizeLock.unlock();
        }
    }

    private void resizeLocked(int minSize, int maxSize) {
        if (minSize < 0 || maxSize < 1 || minSize > maxSize) {
            throw new IllegalArgumentException("resize(" + minSize + ", " + maxSize + "): need 0 <= min <= max, max >= 1");
        }
        if (closed.get()) {
            throw closedException(null);
        }
        C3p0Generation old = current;
        if (old.min == minSize && old.max == maxSize) {
            return;
        }
        C3p0Generation next = new C3p0Generation(factory.apply(minSize, maxSize), minSize, maxSize);
        current = next;
        retire(old);
        LOG.info("Pool '{}' resized from {}..{} to {}..{}", name, old.min, old.max, minSize, maxSize);
    }

    /**
     * Retires a generation: no new borrows (they go to the current one), idle connections close now,
     * lent ones when given back; the c3p0 pool itself closes when the last one is back.
     */
    private void retire(C3p0Generation g) {
        g.retired = true;
        retiring.add(g);
        // A borrower inside c3p0 now leaves within one wait slice; resetting the pool under it would make
        // c3p0 create a fresh pool in the retired data source.
        long until = System.nanoTime() + 2L * C3P0_WAIT_SLICE_MS * 1_000_000L + closeTimeout.toNanos();
        while (g.borrowing.get() > 0 && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            // false: lent connections are destroyed when checked in, not now.
            g.c3p0.resetPoolManager(false);
        } catch (RuntimeException e) {
            LOG.debug("Resetting a retired c3p0 pool failed", e);
        }
        if (g.lent.get() == 0) {
            closeRetired(g);
        }
    }

    private void closeRetired(C3p0Generation g) {
        if (retiring.remove(g)) {
            g.c3p0.close();
        }
    }

    // ---- helpers ----

    private void awaitIdleHelperThreads(PoolBackedDataSource c3p0, long deadlineNanos) {
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

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public PoolCounters counters() {
        C3p0Generation g = current;
        if (!closed.get()) {
            // c3p0 answers each counter under its lock separately; total is derived so that a snapshot
            // always satisfies total == idle + busy, even while an acquisition completes in between.
            int busy = g.count(Counter.BUSY);
            int idle = g.count(Counter.IDLE);
            int pending = g.count(Counter.PENDING);
            if (idle >= 0 && busy >= 0 && pending >= 0) {
                // A retired generation is never asked (asking c3p0 would recreate its pool): its lent
                // connections are busy, it has no idle ones.
                for (C3p0Generation r : retiring) {
                    busy += Math.max(0, r.lent.get());
                }
                return new Counters(idle, busy, pending, g.max, g.min, timeouts.get(), physical.createdCount(),
                        physical.closedCount());
            }
        }
        // Closed (or closing): c3p0 answers no more, the physical connections still open are the truth.
        int open = physical.openCount();
        return new Counters(0, open, 0, g.max, g.min, timeouts.get(), physical.createdCount(),
                physical.closedCount());
    }

    /** One snapshot of {@link #counters()}. */
    private record Counters(int idle, int busy, int pending, int max, int min, long timeouts, long created,
                            long closed) implements PoolCounters {
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
        C3p0Generation g = current;
        // An acquisition still running when c3p0's pool closes fails, and c3p0 then schedules its retry on
        // a timer it has already cancelled (an IllegalStateException on its helper thread). Let the
        // helper threads finish what they started, briefly, before closing.
        awaitIdleHelperThreads(g.c3p0, System.nanoTime() + Math.min(closeTimeout.toNanos(), HELPER_QUIESCE_NANOS));
        physical.shutDown();
        // false: do not destroy checked-out connections; c3p0 destroys each when it is checked in.
        g.c3p0.resetPoolManager(false);
        boolean drained = physical.awaitAllClosed(System.nanoTime() + closeTimeout.toNanos());
        if (!drained) {
            // Cancel before abort: aborting only closes the socket, and the server would go on running the
            // statement and holding its locks. Cancelled sessions fail and come back; then abort the rest.
            int cancelled = physical.cancelRemaining(CANCEL_BOUND);
            boolean back = cancelled > 0 && physical.awaitAllClosed(System.nanoTime() + CANCEL_BOUND.toNanos());
            int aborted = back ? 0 : physical.abortRemaining();
            LOG.warn("Pool '{}': connection(s) still lent out {} ms after close: {} cancel request(s) sent, {} "
                    + "aborted", name, closeTimeout.toMillis(), cancelled, aborted);
        }
        // Marks the data sources closed and takes them out of c3p0's registry (and JMX).
        g.c3p0.close();
        for (C3p0Generation r : retiring) {
            r.c3p0.close();
        }
        retiring.clear();
        LOG.info("Pool '{}' to {} closed ({} connections opened, {} closed)", name, target,
                physical.createdCount(), physical.closedCount());
    }

    @Override
    public String toString() {
        return "C3p0Pool[" + name + " -> " + target + "]";
    }
}
