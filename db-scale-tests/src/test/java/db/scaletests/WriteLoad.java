package db.scaletests;

import db.api.DataAccessException;
import db.api.Database;
import db.api.TransactionOutcomeUnknownException;
import db.api.TxOptions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

/**
 * Writer threads of short transactions ({@link #INSERT}) with retries on
 * whatever Switchboard calls retryable, recording every outcome with its time: acknowledged, unknown
 * ({@link TransactionOutcomeUnknownException}) and failed after retries, and the longest time any writer went
 * without an outcome or a retry (a writer stuck in a call). Each commit is recorded with the port of the server
 * that acknowledged it, so that the first commit on a new primary is told apart from one that was in flight on
 * the old one. Runs until {@link #close()}.
 */
final class WriteLoad implements AutoCloseable {
    /** The statement of every transaction: one row, and the port of the server that ran it. */
    static final String INSERT = "insert into ledger values (?, ?) returning inet_server_port()";

    private record Commit(long nanos, int serverPort) {
    }

    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<Long> unknown = ConcurrentHashMap.newKeySet();
    private final Set<Long> failed = ConcurrentHashMap.newKeySet();
    /** How many writes failed after retries with each kind of failure: its chain of classes and SQLSTATEs. */
    private final ConcurrentHashMap<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();
    /** The first write that failed after retries, stack trace and all. */
    private final AtomicReference<DataAccessException> firstFailure = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Commit> commits = new ConcurrentLinkedQueue<>();
    private final AtomicLongArray lastProgress;
    private final AtomicLong longestStall = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService threads;
    private final List<Future<?>> running = new ArrayList<>();
    private final long firstId;
    private final AtomicLong nextId;

    /** Starts {@code writers} threads on {@code db}; ids start at {@code firstId}. */
    WriteLoad(Database db, int writers, long firstId, Duration maxBackoff) {
        this.firstId = firstId;
        this.nextId = new AtomicLong(firstId);
        this.lastProgress = new AtomicLongArray(writers);
        this.threads = Executors.newFixedThreadPool(writers + 1);
        long now = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            lastProgress.set(w, now);
        }
        for (int w = 0; w < writers; w++) {
            int writer = w;
            TxOptions retrying = TxOptions.builder().maxAttempts(1_000).backoff(Duration.ofMillis(10), maxBackoff)
                    .retryOn(e -> {
                        lastProgress.set(writer, System.nanoTime());
                        return e.isRetryable();
                    }).build();
            running.add(threads.submit(() -> write(db, writer, retrying)));
        }
        running.add(threads.submit(this::watch));
    }

    private Void write(Database db, int writer, TxOptions retrying) {
        while (!stop.get()) {
            long id = nextId.getAndIncrement();
            try {
                int port = db.inTransaction(retrying, s -> s.queryOne(INSERT, rs -> rs.getInt(1), id, writer)
                        .orElseThrow());
                acknowledged.add(id);
                commits.add(new Commit(System.nanoTime(), port));
            } catch (TransactionOutcomeUnknownException e) {
                unknown.add(id);
            } catch (DataAccessException e) {
                failed.add(id);
                failureKinds.computeIfAbsent(kind(e), k -> new AtomicLong()).incrementAndGet();
                if (firstFailure.compareAndSet(null, e)) {
                    e.printStackTrace(System.out);
                }
            }
            lastProgress.set(writer, System.nanoTime());
        }
        return null;
    }

    /** Samples how long each writer has gone without progress. */
    private Void watch() throws InterruptedException {
        while (!stop.get()) {
            long now = System.nanoTime();
            for (int w = 0; w < lastProgress.length(); w++) {
                long stalled = now - lastProgress.get(w);
                longestStall.accumulateAndGet(stalled, Math::max);
            }
            Thread.sleep(20);
        }
        return null;
    }

    Set<Long> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    Set<Long> unknown() {
        return Set.copyOf(unknown);
    }

    Set<Long> failed() {
        return Set.copyOf(failed);
    }

    /**
     * What the writes that failed after retries failed with: each kind (the exception's chain of classes and
     * SQLSTATEs, retryable or not) and how many, then the first one's message. Its stack trace is on stdout.
     */
    String failures() {
        DataAccessException first = firstFailure.get();
        if (first == null) {
            return "none";
        }
        StringBuilder kinds = new StringBuilder();
        failureKinds.forEach((kind, count) -> kinds.append(count.get()).append(" x ").append(kind).append("; "));
        return kinds + "the first: " + first.getMessage();
    }

    private static String kind(DataAccessException e) {
        StringBuilder kind = new StringBuilder("retryable=" + e.isRetryable());
        int depth = 0;
        for (Throwable c = e; c != null && depth < 8; c = c.getCause() == c ? null : c.getCause(), depth++) {
            kind.append(depth == 0 ? " " : " <- ").append(c.getClass().getSimpleName());
            if (c instanceof SQLException sql) {
                kind.append('(').append(sql.getSQLState()).append(')');
            } else if (c instanceof DataAccessException d) {
                kind.append('(').append(d.sqlState()).append(')');
            }
        }
        return kind.toString();
    }

    /** The ids this load may have used: from its first id up to the next one it would take. */
    long firstId() {
        return firstId;
    }

    long lastId() {
        return nextId.get();
    }

    /** The longest time any writer went without an outcome or a retry decision. */
    Duration longestStall() {
        return Duration.ofNanos(longestStall.get());
    }

    /** When the server on {@code serverPort} first acknowledged a commit after {@code nanos}, or 0 if not yet. */
    long firstCommitOn(int serverPort, long nanos) {
        return commits.stream().filter(c -> c.serverPort() == serverPort && c.nanos() > nanos)
                .mapToLong(Commit::nanos).min().orElse(0);
    }

    private LongStream commitTimes() {
        return commits.stream().mapToLong(Commit::nanos);
    }

    /** Commits per second in {@code [from, from + window)}. */
    double rate(long from, Duration window) {
        long to = from + window.toNanos();
        long count = commitTimes().filter(t -> t >= from && t < to).count();
        return count / (window.toNanos() / 1e9);
    }

    /**
     * The end of the first {@code window} after {@code from} whose commit rate is at least {@code rate}, or 0
     * when none is (yet).
     */
    long reached(long from, double rate, Duration window) {
        long last = commitTimes().max().orElse(0);
        for (long start = from; start + window.toNanos() <= last; start += window.toNanos() / 5) {
            if (rate(start, window) >= rate) {
                return start + window.toNanos();
            }
        }
        return 0;
    }

    /** The longest time between two consecutive acknowledged commits inside {@code [from, to]}. */
    Duration longestPause(long from, long to) {
        long[] times = commitTimes().filter(t -> t >= from && t <= to).sorted().toArray();
        long longest = times.length == 0 ? to - from : Math.max(times[0] - from, to - times[times.length - 1]);
        for (int i = 1; i < times.length; i++) {
            longest = Math.max(longest, times[i] - times[i - 1]);
        }
        return Duration.ofNanos(longest);
    }

    /** Stops the writers and waits (bounded) for them to finish their current transaction. */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        stop.set(true);
        try {
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            threads.shutdownNow();
        }
    }
}
