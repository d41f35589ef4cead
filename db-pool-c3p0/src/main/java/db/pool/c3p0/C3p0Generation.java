package db.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One c3p0 pool with fixed bounds, and how many borrowers and lent connections still use it. c3p0 fixes
 * a pool's bounds when it creates it, so {@link C3p0Pool} starts a new generation to resize or evict and
 * retires the old one.
 */
final class C3p0Generation {
    /** A c3p0 counter of the default user's pool. */
    enum Counter { IDLE, BUSY, PENDING }

    final PoolBackedDataSource c3p0;
    final int min;
    final int max;
    /** Threads inside c3p0's getConnection() now. */
    final AtomicInteger borrowing = new AtomicInteger();
    /** Connections of this generation lent out now. */
    final AtomicInteger lent = new AtomicInteger();
    volatile boolean retired;

    C3p0Generation(PoolBackedDataSource c3p0, int min, int max) {
        this.c3p0 = c3p0;
        this.min = min;
        this.max = max;
    }

    /** One c3p0 counter; -1 when c3p0 cannot say (it has been closed under us). */
    int count(Counter counter) {
        try {
            return switch (counter) {
                case IDLE -> c3p0.getNumIdleConnectionsDefaultUser();
                case BUSY -> c3p0.getNumBusyConnectionsDefaultUser();
                default -> c3p0.getNumThreadsAwaitingCheckoutDefaultUser();
            };
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    /** c3p0's last failure to acquire a connection, or null when there is none or c3p0 cannot say. */
    Throwable lastAcquisitionFailure() {
        try {
            return c3p0.getLastAcquisitionFailureDefaultUser();
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }
}
