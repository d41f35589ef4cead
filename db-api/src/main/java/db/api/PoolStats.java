package db.api;

/**
 * A point-in-time view of a pool, for dashboards and readiness probes.
 *
 * @param poolName  the pool's name ({@code db.pool.name})
 * @param total     physical connections open now (idle plus busy)
 * @param idle      connections waiting in the pool
 * @param busy      connections lent out
 * @param pending   threads waiting for a connection right now
 * @param max       the configured maximum size
 * @param min       the configured minimum size
 * @param timeouts  checkouts that gave up after the checkout timeout, since start
 * @param leaks     sessions reported as leaked (open past the leak threshold), since start
 * @param created   physical connections opened, since start
 * @param closed    physical connections closed, since start
 */
public record PoolStats(String poolName, int total, int idle, int busy, int pending, int max, int min,
                        long timeouts, long leaks, long created, long closed) {

    /** This with the counters the core keeps itself (timeouts and leaks) put in. */
    public PoolStats withCoreCounters(long coreTimeouts, long coreLeaks) {
        return new PoolStats(poolName, total, idle, busy, pending, max, min,
                Math.max(timeouts, coreTimeouts), coreLeaks, created, closed);
    }
}
