package db.faults;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.DbConfig;
import db.api.PoolStats;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Soak: 32 threads for 20 s on a pool of 8, mixed reads and writes in transactions, on the test database
 * (no fault). Zero errors, zero leak reports, and at the end nothing busy and nobody waiting; p50/p99 of
 * a transaction (checkout wait included) printed.
 */
class SoakTest {

    static final int THREADS = 32;
    static final int POOL = 8;
    static final Duration LENGTH = Duration.ofSeconds(20);
    static final int ROWS = 100;

    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("soak");
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= ROWS; i++) {
            rows.append(i == 1 ? "" : ",").append('(').append(i).append(", 0)");
        }
        schema.execute("CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL);"
                + "CREATE TABLE event (id bigserial PRIMARY KEY, counter_id int NOT NULL, at timestamptz DEFAULT now());"
                + "INSERT INTO counter VALUES " + rows);
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void thirtyTwoThreadsOnEightConnectionsForTwentySeconds() throws InterruptedException {
        TestDatabase test = TestDatabase.get();
        DbConfig.Builder config = DbConfig.builder()
                .sessionProvider("c3p0")
                .url(schema.jdbcUrl())
                .minSize(POOL)
                .maxSize(POOL)
                .leakThreshold(Duration.ofSeconds(5))
                .poolName("faults-soak")
                .applicationName("faults-soak");
        if (test.user() != null) {
            config.user(test.user());
        }
        if (test.password() != null) {
            config.password(test.password());
        }
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        PoolStats end;
        try (Database db = Database.open(config.build())) {
            long stopAt = System.nanoTime() + LENGTH.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long[] mine = new long[200_000];
                latencies.add(mine);
                Thread thread = new Thread(() -> soak(db, stopAt, mine, errors, writes, reads), "soak-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(LENGTH.plusSeconds(30).toMillis()); // bounded even if a checkout hung
            }
            assertThat(threads).as("every soak thread ended").noneMatch(Thread::isAlive);
            end = db.stats();
        }
        long[] all = latencies.stream().flatMapToLong(a -> Arrays.stream(a).filter(v -> v > 0)).sorted().toArray();
        long total = writes.get() + reads.get();
        System.out.printf("[faults] soak %d threads x %d s on a pool of %d: %d transactions (%d writing, %d reading), "
                        + "%.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms | errors %s | leaks %d | end: busy %d, "
                        + "pending %d, total %d%n",
                THREADS, LENGTH.toSeconds(), POOL, total, writes.get(), reads.get(),
                total / (double) LENGTH.toSeconds(), percentile(all, 0.50), percentile(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6, new TreeMap<>(errors), end.leaks(), end.busy(),
                end.pending(), end.total());
        assertThat(errors).as("errors during the soak").isEmpty();
        assertThat(total).isPositive();
        assertThat(end.leaks()).as("leak reports").isZero();
        assertThat(end.busy()).as("busy at the end").isZero();
        assertThat(end.pending()).as("pending at the end").isZero();
    }

    private static void soak(Database db, long stopAt, long[] latencies, Map<String, Integer> errors,
                             AtomicLong writes, AtomicLong reads) {
        int n = 0;
        while (System.nanoTime() < stopAt && n < latencies.length) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int id = 1 + random.nextInt(ROWS);
            long start = System.nanoTime();
            try {
                if (random.nextInt(10) < 7) {
                    db.runInTransaction(s -> {
                        s.execute("UPDATE counter SET n = n + 1 WHERE id = ?", id);
                        s.execute("INSERT INTO event (counter_id) VALUES (?)", id);
                        s.queryOne("SELECT n FROM counter WHERE id = ?", rs -> rs.getLong(1), id);
                    });
                    writes.incrementAndGet();
                } else {
                    db.inTransaction(s -> s.query("SELECT id, n FROM counter WHERE id BETWEEN ? AND ?",
                            rs -> rs.getLong(2), id, id + 10));
                    reads.incrementAndGet();
                }
                latencies[n++] = System.nanoTime() - start;
            } catch (RuntimeException e) {
                errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
