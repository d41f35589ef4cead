package db.api.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fair gate in front of every pool: {@code max-size} permits handed out in arrival order.
 *
 * <p>Uncontended, taking and giving back a permit is one CAS each and a few volatile reads. Once
 * anybody waits, newcomers queue behind them (no barging) and a permit given back goes straight to
 * the oldest waiter (a hand-off, as in psycopg_pool), so the provider never sees more concurrent
 * borrowers than permits. Waiters park with {@link LockSupport} (no monitor is held while waiting, so
 * virtual threads never pin here). A waiter that times out or is interrupted leaves the queue; a permit
 * handed to it at that moment is passed on, never lost.
 *
 * <p>Also: load shedding ({@code maxWaiting}), pause/resume (while paused nobody is admitted, waiters
 * keep their places) and resize (permits may go negative when shrinking; returns pay the debt first).
 */
final class CheckoutGate {

    /** Why {@link #acquire} did not admit the caller. */
    enum Refusal { TIMEOUT, REJECTED, CLOSED }

    /**
     * Loads the waiter's class with the gate, on the thread that opens the pool: loaded later, inside the
     * first contended checkout of a virtual thread, class loading pins that thread's carrier (JFR
     * {@code jdk.VirtualThreadPinned}, "Freeze or preempt failed").
     */
    private static final Class<?> WAITER_CLASS = Waiter.class;
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int CANCELLED = 2;

    /** A parked caller. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final AtomicInteger state = new AtomicInteger(WAITING);
    }

    /** Free permits; negative after a shrink while more are lent than the new maximum. */
    private final AtomicInteger available;
    /** Queued waiters (also what the fast path checks: it only runs while nobody waits). */
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    /** FIFO of waiters; guarded by {@link #lock}. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile int permits;
    private volatile int maxWaiting;

    CheckoutGate(int permits, int maxWaiting) {
        this.permits = permits;
        this.available = new AtomicInteger(permits);
        this.maxWaiting = maxWaiting;
    }

    /**
     * Takes a permit, waiting until {@code deadlineNanos} in arrival order.
     *
     * @return null when admitted, else why not
     * @throws InterruptedException when interrupted while waiting (no permit is kept)
     */
    Refusal acquire(long deadlineNanos) throws InterruptedException {
        if (closed) {
            return Refusal.CLOSED;
        }
        if (waiting.get() == 0 && !paused && tryTake()) {
            return null;
        }
        return slowAcquire(deadlineNanos);
    }

    private boolean tryTake() {
        for (int a = available.get(); a > 0; a = available.get()) {
            if (available.compareAndSet(a, a - 1)) {
                return true;
            }
        }
        return false;
    }

    private Refusal slowAcquire(long deadlineNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Waiter me = new Waiter();
        lock.lock();
        try {
            if (queue.isEmpty() && !paused && tryTake()) {
                return null;
            }
            int limit = maxWaiting;
            if (limit > 0 && queue.size() >= limit) {
                return Refusal.REJECTED;
            }
            queue.addLast(me);
            waiting.incrementAndGet();
            // A permit given back between the fast path and now went to nobody: hand it out.
            dispatchLocked();
        } finally {
            lock.unlock();
        }
        while (true) {
            if (me.state.get() == GRANTED) {
                return null;
            }
            if (closed) {
                if (cancel(me)) {
                    return Refusal.CLOSED;
                }
                release(); // granted at the same moment: the pool is closing, nobody needs the permit
                return Refusal.CLOSED;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return cancel(me) ? Refusal.TIMEOUT : null;
            }
            LockSupport.parkNanos(this, remaining);
            if (Thread.interrupted()) {
                if (cancel(me)) {
                    throw new InterruptedException();
                }
                // Granted at the same moment: pass the permit on rather than keep one nobody uses.
                release();
                throw new InterruptedException();
            }
        }
    }

    /** Leaves the queue; false when a permit was granted first (then the caller holds it). */
    private boolean cancel(Waiter me) {
        if (!me.state.compareAndSet(WAITING, CANCELLED)) {
            return false;
        }
        lock.lock();
        try {
            if (queue.remove(me)) {
                waiting.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** Gives a permit back: to the oldest waiter when there is one. */
    void release() {
        available.incrementAndGet();
        if (waiting.get() > 0) {
            dispatch();
        }
    }

    private void dispatch() {
        lock.lock();
        try {
            dispatchLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Hands free permits to waiters in arrival order. */
    private void dispatchLocked() {
        while (!paused && !queue.isEmpty() && tryTake()) {
            Waiter next = queue.pollFirst();
            waiting.decrementAndGet();
            if (next.state.compareAndSet(WAITING, GRANTED)) {
                LockSupport.unpark(next.thread);
            } else {
                available.incrementAndGet(); // it had just given up: the permit goes to the next one
            }
        }
    }

    /**
     * Closes the gate for good: every waiter leaves at once with {@link Refusal#CLOSED} and later callers
     * get it without waiting (the pool is closing; nobody should wait for its drain).
     */
    void close() {
        closed = true;
        lock.lock();
        try {
            for (Waiter w : queue) {
                LockSupport.unpark(w.thread);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops admitting anybody; waiters keep their places. */
    void pause() {
        paused = true;
    }

    /** Admits again, waiters first, in arrival order. */
    void resume() {
        paused = false;
        dispatch();
    }

    boolean paused() {
        return paused;
    }

    /** Changes the number of permits; growing admits waiters at once. */
    void resize(int newPermits) {
        lock.lock();
        try {
            int delta = newPermits - permits;
            permits = newPermits;
            available.addAndGet(delta);
            dispatchLocked();
        } finally {
            lock.unlock();
        }
    }

    void maxWaiting(int limit) {
        maxWaiting = limit;
    }

    int permits() {
        return permits;
    }

    /** Callers queued now. */
    int waiting() {
        return waiting.get();
    }

    /** Permits free now (negative while a shrink is being paid off). */
    int available() {
        return available.get();
    }
}
