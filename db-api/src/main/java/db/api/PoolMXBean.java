package db.api;

/**
 * The JMX view of one pool, registered as {@code dev.switchboard:type=Pool,name=<pool name>} when
 * {@code db.pool.jmx=true} (HikariCP's {@code HikariPoolMXBean} and config MXBean in one): the
 * statistics of {@link Database#stats()} and the pool controls. Works the same over every session
 * provider.
 */
public interface PoolMXBean {

    /** Physical connections open now. */
    int getTotalConnections();

    /** Idle connections. */
    int getIdleConnections();

    /** Connections lent out. */
    int getActiveConnections();

    /** Callers waiting for a connection now. */
    int getThreadsAwaitingConnection();

    /** The current maximum size. */
    int getMaximumPoolSize();

    /** The current minimum size. */
    int getMinimumPoolSize();

    /** Checkouts that timed out, since start. */
    long getTimeouts();

    /** Checkouts refused by {@code db.pool.max-waiting}, since start. */
    long getRejected();

    /** Physical connection attempts, since start. */
    long getConnectAttempts();

    /** Failed physical connection attempts, since start. */
    long getConnectFailures();

    /** The current reconnect back-off in milliseconds; 0 while the database answers. */
    long getReconnectBackoffMillis();

    /** Whether checkouts are held by {@link #suspendPool()}. */
    boolean isPaused();

    /** {@link Database#resize(int, int)}. */
    void resize(int minSize, int maxSize);

    /** {@link Database#evictAll()}. */
    void softEvictConnections();

    /** {@link Database#pause()}. */
    void suspendPool();

    /** {@link Database#resume()}. */
    void resumePool();
}
