package db.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A point-in-time view of a pool, for dashboards and readiness probes. The core builds it from the
 * pool's {@link db.api.spi.PoolCounters} and its own counters; pools never construct it.
 *
 * @param poolName        the pool's name ({@code db.pool.name})
 * @param total           physical connections open now (idle plus busy)
 * @param idle            connections waiting in the pool
 * @param busy            connections lent out
 * @param pending         threads waiting for a connection right now (in the checkout gate and in the pool)
 * @param max             the maximum size now ({@code db.pool.max-size}, or the last {@code resize})
 * @param min             the minimum size now
 * @param timeouts        checkouts that gave up after the checkout timeout, since start
 * @param leaks           sessions reported as leaked (open past the leak threshold), since start
 * @param created         physical connections opened, since start
 * @param closed          physical connections closed, since start
 * @param rejected        checkouts refused at once because {@code db.pool.max-waiting} callers already
 *                        waited, since start
 * @param connectAttempts physical connection attempts (successful or not), since start
 * @param connectFailures physical connection attempts that failed, since start
 * @param backoff         how long the pool waits before its next connect attempt; zero while the
 *                        database answers
 * @param paused          whether checkouts are held by {@code Database.pause()}
 */
public record PoolStats(String poolName, int total, int idle, int busy, int pending, int max, int min,
                        long timeouts, long leaks, long created, long closed, long rejected,
                        long connectAttempts, long connectFailures, Duration backoff, boolean paused) {

    /**
     * Validates the parts.
     *
     * @param poolName the pool's name ({@code db.pool.name})
     * @param total physical connections open now (idle plus busy)
     * @param idle connections waiting in the pool
     * @param busy connections lent out
     * @param pending threads waiting for a connection right now (in the checkout gate and in the pool)
     * @param max the maximum size now ({@code db.pool.max-size}, or the last {@code resize})
     * @param min the minimum size now
     * @param timeouts checkouts that gave up after the checkout timeout, since start
     * @param leaks sessions reported as leaked (open past the leak threshold), since start
     * @param created physical connections opened, since start
     * @param closed physical connections closed, since start
     * @param rejected checkouts refused at once because {@code db.pool.max-waiting} callers already waited,
     *     since start
     * @param connectAttempts physical connection attempts (successful or not), since start
     * @param connectFailures physical connection attempts that failed, since start
     * @param backoff how long the pool waits before its next connect attempt; zero while the database answers
     * @param paused whether checkouts are held by {@code Database.pause()}
     */
    public PoolStats {
        Objects.requireNonNull(backoff, "backoff");
    }
}
