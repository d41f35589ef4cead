package db.scaletests;

import static db.scaletests.Standbys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.TransactionOutcomeUnknownException;
import db.api.TransactionStateException;
import db.api.TxOptions;
import db.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failover against a real primary and a real synchronous streaming standby: 8 threads write unique ids through
 * {@link TxOptions} with retries over a multi-host URL; the primary stops (immediate), the standby is
 * promoted, and writes resume on it without a restart. Prints the time from promotion to the first
 * successful write; every acknowledged commit must be on the new primary; unknown outcomes are counted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverTest {
    private static final int THREADS = 8;
    private static final Duration CHECKOUT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(200);

    @AutoClose
    private static Standbys.Pair clusters;
    private static PgCluster primary;
    private static PgCluster standby;

    @BeforeAll
    static void startClusters() {
        clusters = Standbys.Pair.start("create table ledger (id bigint primary key, writer int not null)");
        primary = clusters.primary();
        standby = clusters.standby();
        // Synchronous replication: a commit is acknowledged once the standby has it. Without it a failover
        // loses the last acknowledged commits that were not streamed yet (seen here: 1 of 1,522).
        Standbys.execute(primary, "ALTER SYSTEM SET synchronous_standby_names = '*'", "SELECT pg_reload_conf()");
        await("the standby replicates synchronously", Duration.ofSeconds(30), () -> "sync".equals(
                Standbys.single(primary, "SELECT coalesce(max(sync_state), '') FROM pg_stat_replication")));
        Standbys.awaitReplayed(primary, standby);
    }

    private static DbConfig.Builder config(String name, String url) {
        return DbConfig.builder()
                .url(url)
                .user(PgCluster.USER)
                .poolName(name)
                .minSize(2)
                .maxSize(THREADS)
                .checkoutTimeout(CHECKOUT_TIMEOUT)
                .connectTimeout(CONNECT_TIMEOUT);
    }

    @Test
    @Order(1)
    void aWriteRefusedByAStandbyIsRetryableButAReadOnlyTransactionOfTheApplicationIsNot() {
        // The standby's address stands for "the primary's address after a failover points at a standby".
        try (Database onStandby = Database.open(config("refused", standby.jdbcUrl()).build());
             Database onPrimary = Database.open(config("own-read-only", primary.jdbcUrl()).build())) {
            long closedBefore = onStandby.stats().closed();
            assertThatThrownBy(() -> onStandby.inTransaction(s -> s.execute("insert into ledger values (?, ?)", -1, 0)))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("25006")
                    .satisfies(e -> assertThat(((DataAccessException) e).isRetryable()).isTrue());
            // The refused connection was discarded (and the idle ones evicted): the pool does not lend it again.
            await("the pool's connections are evicted", Duration.ofSeconds(10),
                    () -> onStandby.stats().closed() >= closedBefore + 1);

            assertThatThrownBy(() -> onPrimary.inTransaction(TxOptions.builder().readOnly(true).build(),
                    s -> s.execute("insert into ledger values (?, ?)", -2, 0)))
                    .isInstanceOf(TransactionStateException.class)
                    .satisfies(e -> assertThat(((DataAccessException) e).isRetryable()).isFalse());
        }
    }

    @Test
    @Order(2)
    void writesResumeOnThePromotedStandbyWithEveryAcknowledgedCommitPresent() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port() + "/"
                + PgCluster.DATABASE;
        TxOptions retrying = TxOptions.builder().maxAttempts(100).backoff(Duration.ofMillis(10), MAX_BACKOFF)
                .retryOn(DataAccessException::isRetryable).build();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Long> unknown = ConcurrentHashMap.newKeySet();
        Set<Long> failed = ConcurrentHashMap.newKeySet();
        AtomicLong ids = new AtomicLong();
        AtomicLong lastSuccessNanos = new AtomicLong();
        AtomicLong firstSuccessAfterPromotion = new AtomicLong();
        AtomicLong promotionStarted = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean stop = new AtomicBoolean();

        try (Database db = Database.open(config("failover", url).build())) {
            assertThat(db.pools().get(0).server()).as("the host in use").isEqualTo("127.0.0.1:" + primary.port());
            ExecutorService writers = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> running = new java.util.ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int writer = t;
                    running.add(writers.submit(() -> {
                        while (!stop.get()) {
                            long id = ids.incrementAndGet();
                            try {
                                db.inTransaction(retrying, s -> s.execute("insert into ledger values (?, ?)", id, writer));
                                acknowledged.add(id);
                                long now = System.nanoTime();
                                lastSuccessNanos.set(now);
                                if (now > promotionStarted.get()) {
                                    firstSuccessAfterPromotion.compareAndSet(0, now);
                                }
                            } catch (TransactionOutcomeUnknownException e) {
                                unknown.add(id);
                            } catch (DataAccessException e) {
                                failed.add(id);
                            }
                        }
                        return null;
                    }));
                }
                await("writes before the failover", Duration.ofSeconds(20), () -> acknowledged.size() >= 500);

                primary.stopImmediate();
                long stopped = System.nanoTime();
                promotionStarted.set(System.nanoTime());
                standby.promote();
                long promoted = System.nanoTime();
                await("a successful write after the promotion", Duration.ofSeconds(30),
                        () -> firstSuccessAfterPromotion.get() != 0);
                long first = firstSuccessAfterPromotion.get();
                int before = acknowledged.size();
                await("writes after the failover", Duration.ofSeconds(20), () -> acknowledged.size() >= before + 500);
                stop.set(true);
                for (Future<?> f : running) {
                    f.get(30, TimeUnit.SECONDS);
                }

                Duration fromPromotion = Duration.ofNanos(first - promotionStarted.get());
                Duration afterPromoteReturned = Duration.ofNanos(Math.max(0, first - promoted));
                Set<Long> present = ids(standby);
                Set<Long> missing = new HashSet<>(acknowledged);
                missing.removeAll(present);
                long unknownCommitted = unknown.stream().filter(present::contains).count();
                System.out.printf("[scale] failover: %d threads; primary stopped (immediate) -> promote started %d ms; "
                                + "promotion to first successful write %d ms (%d ms after pg_ctl promote returned); "
                                + "acknowledged %d, all present on the new primary: %s; unknown outcomes %d (%d of them "
                                + "committed); failed after retries %d%n", THREADS,
                        (promotionStarted.get() - stopped) / 1_000_000, fromPromotion.toMillis(),
                        afterPromoteReturned.toMillis(), acknowledged.size(), missing.isEmpty(), unknown.size(),
                        unknownCommitted, failed.size());

                assertThat(missing).as("acknowledged commits missing on the new primary").isEmpty();
                assertThat(failed).as("writes that failed although retryable within the retry budget").isEmpty();
                // A bound from the configuration, not a performance target: after the promotion a retry needs
                // at most one backoff, one refused connect to the old address and one connect and login.
                Duration bound = CHECKOUT_TIMEOUT.plus(CONNECT_TIMEOUT).plus(MAX_BACKOFF).plusSeconds(1);
                assertThat(fromPromotion).as("promotion to the first successful write").isLessThan(bound);
                assertThat(bound).isLessThan(Duration.ofSeconds(5));
                assertThat(db.health().healthy()).isTrue();
            } finally {
                stop.set(true);
                writers.shutdownNow();
                writers.awaitTermination(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Set<Long> ids(PgCluster cluster) throws SQLException {
        Set<Long> found = new HashSet<>();
        try (Connection c = cluster.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from ledger")) {
            while (rs.next()) {
                found.add(rs.getLong(1));
            }
        }
        return found;
    }
}
