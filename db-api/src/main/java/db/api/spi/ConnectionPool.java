package db.api.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A started pool, as a {@link SessionProvider} returns it. Thread-safe.
 *
 * <p>The core stands in front of every pool with a fair gate of {@code max-size} permits, so a pool
 * never sees more concurrent {@link #borrow(long)} calls plus lent connections than its maximum size;
 * waiting in arrival order, load shedding ({@code db.pool.max-waiting}), pause/resume, reconnect-wait
 * and the one checkout deadline are the core's. Every physical connection a pool opens must come from
 * {@link PoolContext#connections()}, which asks for credentials, runs the connection initializers,
 * backs off while the database is unreachable and refuses while the pool is paused.
 */
public interface ConnectionPool extends AutoCloseable {

    /** {@return the pool's name, unique in the JVM} */
    String name();

    /**
     * Lends a connection, giving up at {@code deadlineNanos} (a {@link System#nanoTime()} value): the
     * one deadline of the whole checkout, shared with the core's gate and with any validation retry
     * inside the pool. A pool may overrun it by at most one validation round trip. Closing the
     * returned connection gives it back; the core restores the session state before that.
     *
     * @param deadlineNanos when to give up, a {@link System#nanoTime()} value
     * @return a connection lent to the caller until it is closed or {@linkplain #discard discarded}
     * @throws db.api.PoolExhaustedException when none became free in time; the message names the
     *                                       pool, its max size, the busy count and the wait
     * @throws db.api.ConnectionException    when no connection could be made in time; the message names
     *                                       the last connect failure's reason
     * @throws db.api.PoolClosedException    when the pool is closed
     * @throws SQLException                  when a new connection could not be made
     */
    Connection borrow(long deadlineNanos) throws SQLException;

    /**
     * Lends a connection, waiting at most {@link #checkoutTimeout()} (tools and tests; the core uses {@link
     * #borrow(long)}).
     *
     * @return a connection lent to the caller until it is closed or {@linkplain #discard discarded}
     * @throws java.sql.SQLException when no connection could be had in time, or making one failed
     */
    default Connection borrow() throws SQLException {
        return borrow(System.nanoTime() + checkoutTimeout().toNanos());
    }

    /** {@return the configured checkout timeout ({@code db.pool.checkout-timeout})} */
    Duration checkoutTimeout();

    /**
     * Gives back a connection lent by {@link #borrow(long)} that must not be reused (it saw a fatal
     * error, or resetting its session state failed): the pool closes the physical connection instead
     * of pooling it and frees its slot. Never throws; a connection already given back is ignored.
     *
     * @param lent a connection this pool lent
     */
    void discard(Connection lent);

    /**
     * Changes the pool's bounds at runtime. Growing lets the pool open connections up to {@code maxSize}
     * at once; shrinking closes idle connections above the new maximum now and lent ones as they come
     * back. The core has already resized its gate.
     *
     * @param minSize the new minimum number of connections kept open
     * @param maxSize the new maximum number of connections
     * @throws IllegalArgumentException when {@code minSize < 0}, {@code maxSize < 1} or {@code minSize > maxSize}
     */
    void resize(int minSize, int maxSize);

    /**
     * Retires every connection: idle ones close now, lent ones when given back (HikariCP's
     * {@code softEvictConnections}); later borrows get connections opened after this call.
     */
    void evictAll();

    /**
     * A snapshot of the pool's counters. Cheap; never blocks on a checkout. {@code pending} counts the
     * threads waiting inside the pool; the core adds its own waiters and counters to make the
     * {@link db.api.PoolStats} the application sees.
     *
     * @return the pool's counters now
     */
    PoolCounters counters();

    /**
     * Drains the pool: idle connections close at once, lent ones when given back or after a
     * bounded grace period. Idempotent.
     */
    @Override
    void close();
}
