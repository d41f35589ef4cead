package db.api.spi;

/**
 * What a pool knows about itself, as {@link ConnectionPool#counters()} reports it. The core adds what it
 * counts itself (the waiters in its gate, the current bounds, timeouts, leaks, rejections, connect
 * attempts and failures, the back-off, whether it is paused) and builds the {@link db.api.PoolStats} the
 * application sees. A counter added later comes with a default here, so no provider breaks; a provider
 * typically answers with a record of its own that implements this interface.
 */
public interface PoolCounters {

    /** {@return connections waiting in the pool} */
    int idle();

    /** {@return connections lent out} */
    int busy();

    /** {@return physical connections open now; by default idle plus busy} */
    default int total() {
        return idle() + busy();
    }

    /** {@return threads waiting inside the pool for a connection right now; by default none} */
    default int pending() {
        return 0;
    }

    /** {@return the pool's maximum size now} */
    int max();

    /** {@return the pool's minimum size now} */
    int min();

    /** {@return checkouts the pool itself gave up after the checkout timeout, since start; by default none} */
    default long timeouts() {
        return 0;
    }

    /** {@return physical connections opened, since start; by default none counted} */
    default long created() {
        return 0;
    }

    /** {@return physical connections closed, since start; by default none counted} */
    default long closed() {
        return 0;
    }
}
