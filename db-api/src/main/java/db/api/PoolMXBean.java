package db.api;

/**
 * The JMX view of one pool, registered as {@code dev.switchboard:type=Pool,name=<pool name>} when
 * {@code db.pool.jmx=true} (HikariCP's {@code HikariPoolMXBean} and config MXBean in one): the
 * statistics of {@link Database#stats()} and the pool controls. Works the same over every session
 * provider.
 */
public interface PoolMXBean {

    /** {@return physical connections open now} */
    int getTotalConnections();

    /** {@return idle connections} */
    int getIdleConnections();

    /** {@return connections lent out} */
    int getActiveConnections();

    /** {@return callers waiting for a connection now} */
    int getThreadsAwaitingConnection();

    /** {@return the current maximum size} */
    int getMaximumPoolSize();

    /** {@return the current minimum size} */
    int getMinimumPoolSize();

    /** {@return checkouts that timed out, since start} */
    long getTimeouts();

    /** {@return checkouts refused by {@code db.pool.max-waiting}, since start} */
    long getRejected();

    /** {@return physical connection attempts, since start} */
    long getConnectAttempts();

    /** {@return failed physical connection attempts, since start} */
    long getConnectFailures();

    /** {@return the current reconnect back-off in milliseconds; 0 while the database answers} */
    long getReconnectBackoffMillis();

    /** {@return whether checkouts are held by {@link #suspendPool()}} */
    boolean isPaused();

    /**
     * {@link Database#resize(int, int)}.
     *
     * @param minSize the new minimum number of connections kept open
     * @param maxSize the new maximum number of connections
     */
    void resize(int minSize, int maxSize);

    /** {@link Database#evictAll()}. */
    void softEvictConnections();

    /** {@link Database#pause()}. */
    void suspendPool();

    /** {@link Database#resume()}. */
    void resumePool();
}
