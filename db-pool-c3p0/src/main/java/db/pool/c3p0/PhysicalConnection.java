package db.pool.c3p0;

import db.api.spi.ForwardingConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The driver's connection as c3p0 holds it: a plain delegate that tells its {@link PhysicalConnections}
 * when it is closed. It exists so that {@code closed} in the statistics is a count of real closes and
 * so that {@code close()} of the pool can wait for, and if need be abort, every physical connection.
 * c3p0 puts its own proxy in front of this, so applications never see it.
 */
final class PhysicalConnection extends ForwardingConnection {
    private final PhysicalConnections owner;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When the application last gave it back (or when it was made); read by the checkout validation. */
    private volatile long lastUsedNanos = System.nanoTime();

    PhysicalConnection(Connection delegate, PhysicalConnections owner) {
        super(delegate);
        this.owner = owner;
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate().close();
        } finally {
            // Counted once even when c3p0 closes twice (it may, after a failed test).
            if (closed.compareAndSet(false, true)) {
                owner.closed(this);
            }
        }
    }

    /** Cuts the socket without waiting for a query in progress: the pool's last resort on close. */
    void abortNow() {
        try {
            delegate().abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // Already gone or the driver refused: either way nothing is left to close.
        } finally {
            if (closed.compareAndSet(false, true)) {
                owner.closed(this);
            }
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        try {
            delegate().abort(executor);
        } finally {
            if (closed.compareAndSet(false, true)) {
                owner.closed(this);
            }
        }
    }

    /** Records that the application just gave the connection back. */
    void markUsed() {
        lastUsedNanos = System.nanoTime();
    }

    /** Whether the connection was given back (or made) less than {@code windowNanos} ago. */
    boolean usedWithin(long windowNanos) {
        return System.nanoTime() - lastUsedNanos < windowNanos;
    }

    /**
     * Reaches the driver's connection itself: c3p0 and applications unwrap to driver interfaces. The
     * pool (same package) unwraps c3p0's proxy to this class to validate and time-stamp it.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface == PhysicalConnection.class) {
            return iface.cast(this);
        }
        return iface.isInstance(delegate()) ? iface.cast(delegate()) : delegate().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(delegate()) || delegate().isWrapperFor(iface);
    }
}
