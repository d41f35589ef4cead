package db.core.engine;

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
 * borrowers than permits. A caller counts as waiting from the moment it leaves the fast path, before it
 * takes the queue's lock, so nobody passes a caller that is still on its way into the queue; and the
 * waiters granted a permit are woken after the lock is let go, so that the lock is held for a few
 * field writes only and callers seldom block on it. Waiters park with {@link LockSupport} (no monitor
 * is held while waiting, so virtual threads never pin here). A waiter that times out or is interrupted
 * leaves the queue; a permit handed to it at that moment is passed on, never lost.
 *
 * <p>Waiters park without a timeout: a timed park of a virtual thread schedules and cancels a timer task
 * in the JDK per park, which at 1,000 virtual threads on 8 connections cost about a fifth of the client's
 * CPU per checkout. Their deadlines are watched instead by one daemon thread per gate (started at the
 * first wait, ended by {@link #close()}) that sleeps until the earliest deadline in the queue and wakes
 * the waiters whose deadline passed; they leave the queue themselves. Arrival order is nearly deadline
 * order, so the watcher wakes about once per checkout timeout, not once per checkout.
 *
 * <p>Also: load shedding ({@code maxWaiting}), pause/resume (while paused nobody is admitted, waiters
 * keep their places) and resize (permits may go negative when shrinking; returns pay the debt first).
 */
public final class CheckoutGate {

    /** Why {@link #acquire} did not admit the caller. */
    public enum Refusal { TIMEOUT, REJECTED, CLOSED }

    /**
     * Loads the waiter's class with the gate, on the thread that opens the pool: loaded later, inside the
     * first contended checkout of a virtual thread, class loading pins that thread's carrier (JFR
     * {@code jdk.VirtualThreadPinned}, "Freeze or preempt failed").
     */
    @SuppressWarnings("UnusedVariable") // never read: the class literal is here for the loading it causes
    private static final Class<?> WAITER_CLASS = Waiter.class;
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int CANCELLED = 2;

    /**
     * A parked caller; its state moves once, from WAITING to GRANTED or CANCELLED. Granted waiters are
     * chained through {@link #nextToWake} by the one dispatch that granted them and woken after it unlocks.
     */
    private static final class Waiter extends AtomicInteger {
        private static final long serialVersionUID = 1L;
        final transient Thread thread = Thread.currentThread();
        final long deadline;
        /** Written once, by the dispatch that grants this waiter, under {@link #lock}. */
        Waiter nextToWake;

        Waiter(long deadline) {
            super(WAITING);
            this.deadline = deadline;
        }
    }

    /** Free permits; negative after a shrink while more are lent than the new maximum. */
    private final AtomicInteger available;
    /**
     * Callers on the slow path, queued or about to be (also what the fast path checks: it only runs while
     * nobody waits).
     */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Package-private: the ordering test holds it to stop a caller on its way into the queue. */
    final ReentrantLock lock = new ReentrantLock();
    /** FIFO of waiters; guarded by {@link #lock}. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile int permits;
    private volatile int maxWaiting;
    /** Names the deadline watcher's thread. */
    private final String name;
    /** The deadline watcher; started at the first wait, guarded by {@link #lock}. */
    private Thread watcher;
    /** When the watcher next looks at the queue ({@link Long#MAX_VALUE}: nobody waits); guarded by {@link #lock}. */
    private long watcherDue = Long.MAX_VALUE;

    public CheckoutGate(String name, int permits, int maxWaiting) {
        this.name = name;
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
    public Refusal acquire(long deadlineNanos) throws InterruptedException {
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
        Waiter me = new Waiter(deadlineNanos);
        // Counted before taking the lock: from now on newcomers queue behind this caller, not pass it.
        waiting.incrementAndGet();
        Waiter granted;
        lock.lock();
        try {
            if (queue.isEmpty() && !paused && tryTake()) {
                waiting.decrementAndGet();
                return null;
            }
            int limit = maxWaiting;
            if (limit > 0 && queue.size() >= limit) {
                waiting.decrementAndGet();
                return Refusal.REJECTED;
            }
            queue.addLast(me);
            watchLocked(deadlineNanos);
            // A permit given back between the fast path and now went to nobody: hand it out.
            granted = dispatchLocked();
        } finally {
            lock.unlock();
        }
        wake(granted, me);
        while (true) {
            if (me.get() == GRANTED) {
                return null;
            }
            if (closed) {
                if (cancel(me)) {
                    return Refusal.CLOSED;
                }
                release(); // granted at the same moment: the pool is closing, nobody needs the permit
                return Refusal.CLOSED;
            }
            if (deadlineNanos - System.nanoTime() <= 0) {
                return cancel(me) ? Refusal.TIMEOUT : null;
            }
            LockSupport.park(this); // woken by a grant, close(), an interrupt or the deadline watcher
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
        if (!me.compareAndSet(WAITING, CANCELLED)) {
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
    public void release() {
        available.incrementAndGet();
        if (waiting.get() > 0) {
            dispatch();
        }
    }

    private void dispatch() {
        Waiter granted;
        lock.lock();
        try {
            granted = dispatchLocked();
        } finally {
            lock.unlock();
        }
        wake(granted, null);
    }

    /**
     * Hands free permits to waiters in arrival order.
     *
     * @return the waiters granted a permit, chained through {@link Waiter#nextToWake}, for {@link #wake}
     */
    private Waiter dispatchLocked() {
        Waiter granted = null;
        while (!paused && !queue.isEmpty() && tryTake()) {
            Waiter next = queue.pollFirst();
            waiting.decrementAndGet();
            if (next.compareAndSet(WAITING, GRANTED)) {
                next.nextToWake = granted;
                granted = next;
            } else {
                available.incrementAndGet(); // it had just given up: the permit goes to the next one
            }
        }
        return granted;
    }

    /**
     * Wakes the waiters of one dispatch, outside the lock. A waiter may already have seen its grant and
     * gone on; the unpark it then gets later is a spurious wake-up, which every park tolerates.
     */
    private static void wake(Waiter granted, Waiter self) {
        for (Waiter w = granted; w != null; w = w.nextToWake) {
            if (w != self) {
                LockSupport.unpark(w.thread);
            }
        }
    }

    /** Makes the watcher look at the queue by {@code deadline} at the latest; under {@link #lock}. */
    private void watchLocked(long deadline) {
        if (watcherDue != Long.MAX_VALUE && deadline - watcherDue >= 0) {
            return; // it looks earlier anyway: the common case, since later arrivals have later deadlines
        }
        watcherDue = deadline;
        if (watcher == null) {
            // Started by whichever caller waits first: inherit none of that caller's inheritable thread locals.
            watcher = new Thread(null, this::watchDeadlines, "switchboard-gate-" + name, 0, false);
            watcher.setDaemon(true);
            watcher.start();
        } else {
            LockSupport.unpark(watcher);
        }
    }

    /** The watcher's loop: sleep until the earliest deadline, wake who passed theirs, repeat until closed. */
    private void watchDeadlines() {
        while (!closed) {
            long sleep;
            lock.lock();
            try {
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (Waiter w : queue) {
                    if (w.deadline - now <= 0) {
                        LockSupport.unpark(w.thread); // it sees its deadline passed and leaves the queue
                    } else if (next == Long.MAX_VALUE || w.deadline - next < 0) {
                        next = w.deadline;
                    }
                }
                watcherDue = next;
                sleep = next == Long.MAX_VALUE ? Long.MAX_VALUE : next - now;
            } finally {
                lock.unlock();
            }
            if (sleep == Long.MAX_VALUE) {
                LockSupport.park(this); // nobody waits: a new waiter's watchLocked wakes this thread
            } else {
                LockSupport.parkNanos(this, sleep);
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
            if (watcher != null) {
                LockSupport.unpark(watcher);
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
        } finally {
            lock.unlock();
        }
        dispatch();
    }

    void maxWaiting(int limit) {
        maxWaiting = limit;
    }

    int permits() {
        return permits;
    }

    /** Callers waiting now (queued, or on their way into the queue). */
    int waiting() {
        return waiting.get();
    }

    /** Permits free now (negative while a shrink is being paid off). */
    int available() {
        return available.get();
    }
}
