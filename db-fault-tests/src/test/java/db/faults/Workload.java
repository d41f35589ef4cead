package db.faults;

import db.api.DataAccessException;
import db.api.Database;
import db.api.TransactionOutcomeUnknownException;
import db.api.TxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The invariant workload: threads run short transactions that each insert one unique id, and record what
 * the application saw for every id (committed, failed, unknown) and how long each call took. Bounded: it
 * stops when told, and {@link #stop(Duration)} waits at most that long for the threads.
 */
final class Workload {

    enum Outcome { COMMITTED, FAILED, UNKNOWN }

    /** One call as the application saw it. */
    record Call(long id, Outcome outcome, long startNanos, long endNanos, Class<? extends Throwable> error) {
        long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final Database db;
    private final String table;
    private final int threads;
    private final List<Thread> workers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile boolean running;

    Workload(Database db, String table, int threads) {
        this.db = db;
        this.table = table;
        this.threads = threads;
    }

    void start() {
        running = true;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::loop, "workload-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    private void loop() {
        String sql = "INSERT INTO " + table + " (id) VALUES (?)";
        while (running) {
            Call call = runOne(sql);
            if (call.outcome() != Outcome.COMMITTED) {
                pause(20); // a failing caller does not spin (as an application with a short back-off)
            }
        }
    }

    /** One transaction inserting a new id with {@code sql} (one parameter), recorded with the others. */
    Call runOne(String sql) {
        long id = IDS.incrementAndGet();
        long start = System.nanoTime();
        Outcome outcome;
        Class<? extends Throwable> error = null;
        try {
            db.runInTransaction(TxOptions.DEFAULTS, s -> s.execute(sql, id));
            outcome = Outcome.COMMITTED;
        } catch (TransactionOutcomeUnknownException e) {
            outcome = Outcome.UNKNOWN;
            error = e.getClass();
        } catch (RuntimeException e) {
            outcome = Outcome.FAILED;
            error = e.getClass();
        }
        Call call = new Call(id, outcome, start, System.nanoTime(), error);
        calls.add(call);
        return call;
    }

    /** Stops the threads; true when all ended within {@code wait}. */
    boolean stop(Duration wait) {
        running = false;
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread t : workers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    t.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return workers.stream().noneMatch(Thread::isAlive);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The first committed call that started at or after {@code nanos}, if any yet. */
    static Call firstSuccessStartedAfter(List<Call> calls, long nanos) {
        Call first = null;
        for (Call c : calls) {
            if (c.outcome() == Outcome.COMMITTED && c.startNanos() >= nanos
                    && (first == null || c.endNanos() < first.endNanos())) {
                first = c;
            }
        }
        return first;
    }

    boolean committedSince(long nanos) {
        for (Call c : calls) {
            if (c.outcome() == Outcome.COMMITTED && c.startNanos() >= nanos) {
                return true;
            }
        }
        return false;
    }

    static Map<String, Integer> errorsByClass(List<Call> calls) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Call c : calls) {
            if (c.error() != null) {
                counts.merge(c.error().getSimpleName(), 1, Integer::sum);
            }
        }
        return counts;
    }

    static boolean allMapped(List<Call> calls) {
        return calls.stream().allMatch(c -> c.error() == null || DataAccessException.class.isAssignableFrom(c.error()));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
