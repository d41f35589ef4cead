package db.moduletests;

import db.api.Database;
import db.api.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Checkouts queued one at a time in front of a pool that lends nothing (every connection held, or paused),
 * so the order they arrived in is known: each runs on a thread of its own, and the next starts only once
 * the pool counts the previous one as pending and it is parked in the core's gate (counted, it may still be
 * on its way into the gate's queue).
 */
final class QueuedCheckouts {
    private final List<Thread> threads = new ArrayList<>();
    private final List<Integer> served = new CopyOnWriteArrayList<>();

    private QueuedCheckouts() {
    }

    /**
     * Queues {@code n} checkouts on {@code db}, numbered from 0 in arrival order; each, once served, runs
     * {@code select 1} and then notes its number.
     */
    static QueuedCheckouts queue(Database db, int n) throws InterruptedException {
        QueuedCheckouts queued = new QueuedCheckouts();
        for (int i = 0; i < n; i++) {
            int index = i;
            int before = db.stats().pending();
            Thread t = new Thread(() -> {
                try (Session s = db.openSession()) {
                    s.execute("select 1");
                    queued.served.add(index);
                }
            });
            t.start();
            queued.threads.add(t);
            CheckoutTest.await(() -> db.stats().pending() == before + 1 && parkedInTheGate(t));
        }
        return queued;
    }

    private static boolean parkedInTheGate(Thread t) {
        Object blocker = LockSupport.getBlocker(t);
        return blocker != null && blocker.getClass().getName().equals("db.core.engine.CheckoutGate");
    }

    /**
     * The numbers of the checkouts whose statement ran, in the order they noted them: with one connection
     * (each holds it until it noted its number) the order they were served in.
     */
    List<Integer> served() {
        return List.copyOf(served);
    }

    /** Waits for every thread, up to 20 s each (the tests' longest checkout timeout). */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join(20_000);
        }
    }
}
