package db.core.engine;

import db.api.DbConfig;
import db.api.spi.ConnectionPool;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The runtime controls of a {@link Core}'s primary pool: resize, evict, pause and resume. The gate and
 * the pool change together, in the order that lets no borrower through beyond the bounds.
 */
final class PoolControls {
    /** The core's logger, as before the split: log configurations name that category. */
    private static final Logger LOG = LogManager.getLogger(Core.class);

    private final Core core;
    private final DbConfig config;
    private final CheckoutGate gate;
    private final PhysicalConnector connector;
    private final ReentrantLock controlLock = new ReentrantLock();
    private volatile int minSize;

    PoolControls(Core core, DbConfig config, CheckoutGate gate, PhysicalConnector connector) {
        this.core = core;
        this.config = config;
        this.gate = gate;
        this.connector = connector;
        this.minSize = config.minSize();
    }

    /** The minimum size now: {@code db.pool.min-size}, or the last {@link #resize}. */
    int minSize() {
        return minSize;
    }

    /**
     * New bounds at runtime: growing admits waiters at once; shrinking lets no new borrower through until
     * enough connections came back, and the pool closes idle connections above the new maximum now and
     * lent ones as they come back.
     */
    void resize(int newMin, int newMax) {
        if (newMin < 0 || newMax < 1 || newMin > newMax) {
            throw new IllegalArgumentException("resize(" + newMin + ", " + newMax
                    + "): need 0 <= min <= max and max >= 1");
        }
        ConnectionPool current = core.requireOpen();
        controlLock.lock();
        try {
            if (newMax >= gate.permits()) {
                current.resize(newMin, newMax); // the pool can open them before the gate lets anybody through
                gate.resize(newMax);
            } else {
                gate.resize(newMax);
                current.resize(newMin, newMax);
            }
            minSize = newMin;
        } finally {
            controlLock.unlock();
        }
        LOG.info("Pool '{}' resized to {}..{}", config.poolName(), newMin, newMax);
    }

    /** Retires every connection: idle ones close now, lent ones when given back. */
    void evictAll() {
        core.requireOpen().evictAll();
    }

    /**
     * Holds every checkout (they wait, bounded by the checkout timeout, in arrival order) and opens no
     * new connection until {@link #resume()}. Sessions already open carry on.
     */
    void pause() {
        core.requireOpen();
        connector.pause();
        gate.pause();
        LOG.info("Pool '{}' paused: checkouts wait, no new connection is opened", config.poolName());
    }

    /** Ends {@link #pause()}: waiters are served in arrival order. */
    void resume() {
        core.requireOpen();
        connector.resume();
        gate.resume();
        LOG.info("Pool '{}' resumed", config.poolName());
    }
}
