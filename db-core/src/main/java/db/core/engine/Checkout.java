package db.core.engine;

import db.api.CheckoutInterruptedException;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DbConfig;
import db.api.PoolClosedException;
import db.api.PoolExhaustedException;
import db.api.PoolStats;
import db.api.spi.ConnectionPool;
import db.api.spi.PoolEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The checkout path of a {@link Core}: the fair gate, the pool's borrow, the wait for a reconnect while the
 * database is unreachable, read-only sessions on a standby, and the permit given back when a session ends.
 * The primary's borrow stays small enough for the JIT to inline it; the cold branches are methods of their own.
 */
final class Checkout {
    /** While reconnecting without a back-off step to wait for, how often a waiter asks the pool again. */
    private static final long RECONNECT_POLL_NANOS = Duration.ofMillis(50).toNanos();
    /** The shortest pause between two borrow attempts of one waiter while the database is unreachable. */
    private static final long RECONNECT_MIN_PAUSE_NANOS = Duration.ofMillis(5).toNanos();

    private final Core core;
    private final DbConfig config;
    private final CheckoutGate gate;
    private final QueryHooks hooks;
    private final SessionReset reset;
    private final LeakDetector leakDetector;
    private final ErrorTranslator translator;
    private final PhysicalConnector connector;
    private final long checkoutTimeoutNanos;
    private final int maxWaiting;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Open sessions on a standby, with that standby's hooks: they never passed the primary's gate. */
    private final Map<SessionImpl, QueryHooks> replicaSessions = new ConcurrentHashMap<>();

    Checkout(Core core, DbConfig config, CheckoutGate gate, QueryHooks hooks, SessionReset reset,
             LeakDetector leakDetector, ErrorTranslator translator, PhysicalConnector connector, int maxWaiting) {
        this.core = core;
        this.config = config;
        this.gate = gate;
        this.hooks = hooks;
        this.reset = reset;
        this.leakDetector = leakDetector;
        this.translator = translator;
        this.connector = connector;
        this.checkoutTimeoutNanos = config.checkoutTimeout().toNanos();
        this.maxWaiting = maxWaiting;
    }

    /** Checkouts that gave up after the checkout timeout, since start. */
    long timeouts() {
        return timeouts.get();
    }

    /** Checkouts refused at once because {@code db.pool.max-waiting} callers already waited, since start. */
    long rejected() {
        return rejected.get();
    }

    /** A session on the primary, or for read-only work on a standby when one is in rotation. */
    SessionImpl borrowSession(boolean readOnly) {
        ConnectionPool current = core.requireOpen();
        long start = System.nanoTime();
        long deadline = start + checkoutTimeoutNanos;
        ReplicaRouter router = core.replicaRouter();
        if (readOnly && router != null) {
            SessionImpl onStandby = borrowFromStandby(router, start, deadline);
            if (onStandby != null) {
                return onStandby;
            }
        }
        admit(start, deadline);
        Connection physical;
        try {
            physical = borrowFromPool(current, start, deadline);
        } catch (Throwable failure) {
            gate.release();
            throw failure;
        }
        try {
            if (!hooks.off()) {
                hooks.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofNanos(System.nanoTime() - start)));
            }
            return new SessionImpl(core, physical, hooks, reset, leakDetector);
        } catch (Throwable failure) {
            // Between the pool's borrow and the caller's session: give the connection back, whatever failed.
            giveBackAfterFailure(current, physical, failure);
            gate.release();
            throw failure;
        }
    }

    /**
     * A session on a standby in rotation, or null when none lent a connection (the caller falls back to
     * the primary or fails, per the router's rule). Kept apart from the primary's path, which stays small
     * enough for the JIT to inline.
     */
    private SessionImpl borrowFromStandby(ReplicaRouter router, long start, long deadline) {
        // A standby's pool waits for itself: the primary's gate is for the primary's connections.
        ReplicaRouter.Lease lease = router.borrow(translator, deadline);
        if (lease == null) {
            return null;
        }
        QueryHooks standbyHooks = lease.hooks();
        if (!standbyHooks.off()) {
            standbyHooks.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofNanos(System.nanoTime() - start)));
        }
        SessionImpl session = new SessionImpl(core, lease.connection(), standbyHooks, reset, leakDetector);
        replicaSessions.put(session, standbyHooks);
        return session;
    }

    /** Passes the fair gate (arrival order, at most max-size through) or throws why not. */
    private void admit(long start, long deadline) {
        CheckoutGate.Refusal refusal;
        try {
            refusal = gate.acquire(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckoutInterruptedException("Interrupted after waiting "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms for a connection from pool '"
                    + config.poolName() + "'; no connection was taken (the interrupt flag is set again)");
        }
        if (refusal == null) {
            return;
        }
        if (refusal == CheckoutGate.Refusal.CLOSED) {
            throw new PoolClosedException("Database pool '" + config.poolName() + "' was closed while waiting "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms for a connection");
        }
        if (core.isClosed()) {
            // The pool closed while this caller waited: that, not exhaustion, is why it got nothing.
            throw new PoolClosedException("Database pool '" + config.poolName() + "' is closed");
        }
        if (refusal == CheckoutGate.Refusal.REJECTED) {
            // No call into the pool here: shedding load must stay cheap when the pool is busiest.
            rejected.incrementAndGet();
            throw new PoolExhaustedException("Pool '" + config.poolName() + "' rejected the checkout at once: "
                    + gate.waiting() + " callers already wait (db.pool.max-waiting=" + maxWaiting + "; max size "
                    + gate.permits() + ", all busy)");
        }
        PoolStats s = core.stats();
        throw timedOut(start, gate.paused()
                ? new PoolExhaustedException("Pool '" + config.poolName() + "' is paused: no connection within "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (checkout timeout "
                        + config.checkoutTimeout().toMillis() + " ms; " + s.pending() + " waiting)")
                : new PoolExhaustedException("Pool '" + config.poolName() + "' exhausted: no connection became free "
                        + "within " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (checkout timeout "
                        + config.checkoutTimeout().toMillis() + " ms; max size " + s.max() + ", busy " + s.busy()
                        + ", waiting " + s.pending() + ")"));
    }

    private DataAccessException timedOut(long start, DataAccessException e) {
        timeouts.incrementAndGet();
        if (!hooks.off()) {
            hooks.poolEvent(new PoolEvent(PoolEvent.Kind.TIMEOUT, Duration.ofNanos(System.nanoTime() - start)));
        }
        return e;
    }

    /**
     * The pool's borrow within the deadline. While the database is unreachable (the pool reports a
     * {@link ConnectionException}), waits for the pool to reconnect instead of failing at once: tries
     * again when the connector's back-off allows the next attempt, until the deadline; then the
     * exception names the last connect failure. Refusals by a server that answered (authentication,
     * unknown database) fail at once.
     */
    private Connection borrowFromPool(ConnectionPool current, long start, long deadline) {
        while (true) {
            DataAccessException failure;
            try {
                return current.borrow(deadline);
            } catch (PoolExhaustedException e) {
                throw timedOut(start, e);
            } catch (ConnectionException e) {
                failure = e;
            } catch (SQLException e) {
                failure = translator.translate(e);
            }
            SQLException setUp = connector.setUpFailure();
            if (setUp != null) {
                // The database answered but the connection's baseline (init SQL, an initializer) failed:
                // waiting will not help, and the statement that failed is what the caller needs to see.
                DataAccessException mapped = core.setUpFailed(setUp);
                mapped.addSuppressed(failure);
                throw mapped;
            }
            if (core.isClosed()) {
                throw new PoolClosedException("Database pool '" + config.poolName() + "' was closed while waiting "
                        + "for it to reconnect", failure);
            }
            if (!(failure instanceof ConnectionException)) {
                throw failure;
            }
            Throwable lastConnect = connector.lastFailure();
            if (lastConnect instanceof SQLException lastSqlFailure) {
                // The pool only says it could not connect; the last attempt tells whether the server
                // answered and refused (authentication, unknown database): then waiting cannot help.
                DataAccessException refused = translator.translate(lastSqlFailure);
                if (!(refused instanceof ConnectionException)) {
                    refused.addSuppressed(failure);
                    throw refused;
                }
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw timedOut(start, unreachable(start, failure));
            }
            long wakeUp = connector.failing() ? connector.nextAttemptNanos() : now + RECONNECT_POLL_NANOS;
            wakeUp = Math.max(wakeUp, now + RECONNECT_MIN_PAUSE_NANOS);
            long pause = Math.min(wakeUp, deadline) - now;
            LockSupport.parkNanos(this, pause);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new CheckoutInterruptedException("Interrupted after waiting "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms for pool '"
                        + config.poolName() + "' to reconnect to " + config.target()
                        + "; no connection was taken (the interrupt flag is set again)");
            }
        }
    }

    private ConnectionException unreachable(long start, DataAccessException last) {
        Throwable reason = connector.lastFailure();
        String why = reason != null ? PhysicalConnector.reason(rootDriverCause(reason)) : last.getMessage();
        return new ConnectionException("Pool '" + config.poolName() + "' got no connection to " + config.target()
                + " within " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (checkout timeout "
                + config.checkoutTimeout().toMillis() + " ms; " + connector.failures() + " failed connect attempts so "
                + "far); last connect failure: " + why, reason != null ? reason : last, last.details());
    }

    /** The driver's own exception under the connector's back-off wrappers. */
    private static Throwable rootDriverCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c && c instanceof SQLException
                && c.getClass() == SQLException.class) {
            c = c.getCause();
        }
        return c;
    }

    private static void giveBackAfterFailure(ConnectionPool pool, Connection physical, Throwable failure) {
        try {
            physical.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
            pool.discard(physical);
        }
    }

    /** Called once per session after its connection was given back (closed or discarded): frees its permit. */
    void sessionClosed(SessionImpl session) {
        QueryHooks replicaHooks = replicaSessions.remove(session);
        if (replicaHooks != null) {
            if (!replicaHooks.off()) {
                replicaHooks.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, session.age()));
            }
            return;
        }
        gate.release();
        if (!hooks.off()) {
            hooks.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, session.age()));
        }
    }
}
