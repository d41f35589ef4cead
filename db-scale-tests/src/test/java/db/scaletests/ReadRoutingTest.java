package db.scaletests;

import static db.scaletests.Standbys.await;
import static db.scaletests.Standbys.replicaInRotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import db.api.ConnectionException;
import db.api.Database;
import db.api.DbConfig;
import db.api.Health;
import db.api.PoolStatus;
import db.api.Session;
import db.api.TxOptions;
import db.testkit.PgCluster;
import db.tracing.otel.OpenTelemetryInstrumenter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Read routing against a real primary and a real streaming standby (one pair for the class): read-only
 * work on the standby and nothing else there, fallback or failure when the standby is gone, and the lag
 * watch taking a standby whose replay is paused out of rotation until it catches up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadRoutingTest {
    private static final TxOptions READ_ONLY = TxOptions.builder().readOnly(true).build();
    private static final String IN_RECOVERY = "select pg_is_in_recovery()";

    @AutoClose
    private static Standbys.Pair clusters;
    private static PgCluster primary;
    private static PgCluster standby;

    @BeforeAll
    static void startClusters() {
        clusters = Standbys.Pair.start("create table routed (id int primary key, note text)");
        primary = clusters.primary();
        standby = clusters.standby();
    }

    private static DbConfig.Builder config(String name) {
        return DbConfig.builder()
                .url(primary.jdbcUrl())
                .user(PgCluster.USER)
                .poolName(name)
                .minSize(1)
                .maxSize(4)
                .checkoutTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(2))
                .property("db.replica.url", standby.jdbcUrl())
                .property("db.replica.pool.min-size", "1")
                .property("db.replica.pool.max-size", "4")
                .property("db.replica.probe-interval", "100ms");
    }

    private static boolean inRecovery(Session s) {
        return s.queryOne(IN_RECOVERY, row -> row.getBoolean(1)).orElseThrow();
    }

    @Test
    @Order(1)
    void readOnlyWorkRunsOnTheStandbyAndEverythingElseOnThePrimary() {
        try (Database db = Database.open(config("routing").build())) {
            await("standby in rotation", Duration.ofSeconds(10), () -> replicaInRotation(db));

            int onStandby = 0;
            for (int i = 0; i < 1_000; i++) {
                if (db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)) {
                    onStandby++;
                }
            }
            assertThat(onStandby).as("read-only transactions that ran on the standby").isEqualTo(1_000);
            try (Session s = db.openReadOnlySession()) {
                assertThat(inRecovery(s)).as("an explicit read-only session runs on the standby").isTrue();
            }

            int onPrimary = 0;
            for (int i = 0; i < 1_000; i++) {
                int id = i;
                boolean standbyServer = db.inTransaction(s -> {
                    s.execute("insert into routed values (?, ?)", id, "write");
                    return inRecovery(s);
                });
                if (!standbyServer) {
                    onPrimary++;
                }
            }
            assertThat(onPrimary).as("writes that ran on the primary").isEqualTo(1_000);
            try (Session s = db.openSession()) {
                assertThat(inRecovery(s)).as("a plain session runs on the primary").isFalse();
                assertThat(s.queryOne("select count(*) from routed", row -> row.getLong(1))).contains(1_000L);
            }
            assertThat(db.dataSource()).isNotNull();
            try (var c = db.dataSource().getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery(IN_RECOVERY)) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("the DataSource view is the primary's").isFalse();
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }

            List<PoolStatus> pools = db.pools();
            assertThat(pools).extracting(PoolStatus::role).containsExactly(PoolStatus.Role.PRIMARY,
                    PoolStatus.Role.REPLICA);
            assertThat(pools.get(0).server()).isEqualTo("127.0.0.1:" + primary.port());
            assertThat(pools.get(1).server()).isEqualTo("127.0.0.1:" + standby.port());
            assertThat(pools.get(1).stats().poolName()).isEqualTo("routing-replica");
            assertThat(pools.get(1).stats().created()).isPositive();
            assertThat(pools.get(1).inRotation()).isTrue();
            Health health = db.health();
            assertThat(health.healthy()).isTrue();
            assertThat(health.pools()).hasSize(2);
            assertThat(health.pools().get(1).role().label()).isEqualTo("replica");
        }
    }

    @Test
    @Order(2)
    void withTheStandbyDownReadsFallBackToThePrimaryOrFailAsConfigured() {
        try (Database fallBack = Database.open(config("fallback").build());
             Database failing = Database.open(config("nofallback").property("db.replica.fallback", "fail").build())) {
            await("standby in rotation", Duration.ofSeconds(10),
                    () -> replicaInRotation(fallBack) && replicaInRotation(failing));
            standby.stopFast();
            try {
                await("standby out of rotation", Duration.ofSeconds(10),
                        () -> !replicaInRotation(fallBack) && !replicaInRotation(failing));
                for (int i = 0; i < 100; i++) {
                    assertThat(fallBack.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery))
                            .as("a read-only transaction falls back to the primary").isFalse();
                }
                try (Session s = fallBack.openReadOnlySession()) {
                    assertThat(inRecovery(s)).isFalse();
                }
                assertThatThrownBy(() -> failing.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery))
                        .isInstanceOf(ConnectionException.class)
                        .hasMessageContaining("db.replica.fallback=fail")
                        .hasMessageContaining("127.0.0.1:" + standby.port());
                assertThatThrownBy(failing::openReadOnlySession).isInstanceOf(ConnectionException.class);
                try (Session s = failing.openSession()) {
                    assertThat(inRecovery(s)).as("writes are not affected").isFalse();
                }
                PoolStatus replica = fallBack.health().pools().get(1);
                assertThat(replica.inRotation()).isFalse();
                assertThat(replica.outOfRotationReason()).isPresent();

                // A standby that is down at startup does not stop the application.
                try (Database late = Database.open(config("late").build())) {
                    await("standby out of rotation", Duration.ofSeconds(10), () -> !replicaInRotation(late));
                    assertThat(late.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).isFalse();
                }
            } finally {
                standby.startAgain();
            }
            await("standby back in rotation", Duration.ofSeconds(15), () -> replicaInRotation(fallBack));
            assertThat(fallBack.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).isTrue();
        }
    }

    @Test
    @Order(3)
    void aLaggingStandbyLeavesTheRotationUntilItCatchesUp() {
        Duration maxLag = Duration.ofMillis(500);
        try (Database db = Database.open(config("lag").property("db.replica.max-lag", "500ms").build())) {
            await("standby in rotation", Duration.ofSeconds(15), () -> replicaInRotation(db));
            assertThat(db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).isTrue();

            Standbys.execute(standby, "select pg_wal_replay_pause()");
            long paused = System.nanoTime();
            try {
                db.inTransaction(s -> s.execute("insert into routed values (?, ?)", 100_000, "while paused"));
                Duration out = await("lagging standby out of rotation", Duration.ofSeconds(15),
                        () -> !replicaInRotation(db));
                assertThat(db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery))
                        .as("reads moved to the primary").isFalse();
                java.util.Optional<String> newest = db.inTransaction(READ_ONLY, s -> s.queryOne(
                        "select note from routed where id = ?", row -> row.getString(1), 100_000));
                assertThat(newest).as("and see the newest write").contains("while paused");
                PoolStatus replica = db.health().pools().get(1);
                assertThat(replica.outOfRotationReason()).hasValueSatisfying(r -> assertThat(r).contains("replay lag"));
                assertThat(replica.replayLag()).hasValueSatisfying(l -> assertThat(l).isGreaterThan(maxLag));
                System.out.printf("[scale] lag: standby out of rotation %d ms after the write (max-lag %d ms)%n",
                        out.toMillis(), maxLag.toMillis());
            } finally {
                Standbys.execute(standby, "select pg_wal_replay_resume()");
            }
            Duration back = await("standby back in rotation", Duration.ofSeconds(15), () -> replicaInRotation(db));
            System.out.printf("[scale] lag: standby back in rotation %d ms after replay resumed (paused %d ms in all)%n",
                    back.toMillis(), (System.nanoTime() - paused) / 1_000_000);
            java.util.Optional<String> replayed = db.inTransaction(READ_ONLY, s -> s.queryOne(
                    "select note from routed where id = ?", row -> row.getString(1), 100_000));
            assertThat(replayed).contains("while paused");
            assertThat(db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).as("reads are back").isTrue();
        }
    }

    @Test
    @Order(4)
    void eachPoolsMetricsCarryItsRoleAndEachStatementsSpanTheHostItRanOn() {
        try (Telemetry telemetry = new Telemetry();
             Database db = Database.open(config("roles").extension(OpenTelemetry.class, telemetry.sdk()).build())) {
            await("standby in rotation", Duration.ofSeconds(10), () -> replicaInRotation(db));
            assertThat(db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).isTrue();
            String write = "insert into routed values (?, ?)";
            db.inTransaction(s -> s.execute(write, 200_000, "traced"));

            List<PointData> pool = telemetry.points("db.client.connection.");
            assertThat(pool).extracting(p -> p.getAttributes().get(Telemetry.POOL_NAME),
                            p -> p.getAttributes().get(Telemetry.POOL_ROLE))
                    .containsOnly(tuple("roles", "primary"), tuple("roles-replica", "replica"))
                    .contains(tuple("roles", "primary"), tuple("roles-replica", "replica"));
            assertThat(pool).filteredOn(p -> "replica".equals(p.getAttributes().get(Telemetry.POOL_ROLE)))
                    .as("the standby pool's count, max and wait time").hasSizeGreaterThanOrEqualTo(3);
            assertThat(telemetry.points("db.client.connection.wait_time"))
                    .as("a checkout on the standby is reported by the standby's pool")
                    .anySatisfy(p -> assertThat(p.getAttributes().get(Telemetry.POOL_ROLE)).isEqualTo("replica"));
            assertThat(telemetry.spans(IN_RECOVERY)).singleElement().satisfies(span -> assertThat(
                    span.getAttributes().get(Telemetry.SERVER_PORT)).isEqualTo((long) standby.port()));
            assertThat(telemetry.spans(write)).singleElement().satisfies(span -> assertThat(
                    span.getAttributes().get(Telemetry.SERVER_PORT)).isEqualTo((long) primary.port()));
        }
    }

    @Test
    @Order(5)
    void aTransactionIsReportedByThePoolItRanOnWithItsCommitOnThatHost() {
        try (Telemetry telemetry = new Telemetry();
             Database db = Database.open(config("txroles").property(OpenTelemetryInstrumenter.TRANSACTIONS, "true")
                     .extension(OpenTelemetry.class, telemetry.sdk()).build())) {
            await("standby in rotation", Duration.ofSeconds(10), () -> replicaInRotation(db));
            assertThat(db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).isTrue();
            List<SpanData> onStandby = transactionWithItsStatements(telemetry);
            assertThat(onStandby).as("a read-only transaction on the standby")
                    .satisfies(tx -> assertReportedBy(tx, "txroles-replica", "replica", standby));
            System.out.printf("[scale] transaction tracing: a read-only transaction on the standby is span '%s' of "
                    + "pool %s (role %s) with %s, server.port %d on all (primary %d)%n", onStandby.get(0).getName(),
                    onStandby.get(0).getAttributes().get(Telemetry.POOL_NAME),
                    onStandby.get(0).getAttributes().get(Telemetry.POOL_ROLE),
                    onStandby.subList(1, onStandby.size()).stream().map(SpanData::getName).collect(Collectors.toList()),
                    onStandby.get(0).getAttributes().get(Telemetry.SERVER_PORT), primary.port());

            db.inTransaction(s -> s.execute("insert into routed values (?, ?)", 300_000, "traced"));
            assertThat(transactionWithItsStatements(telemetry)).as("a write on the primary")
                    .satisfies(tx -> assertReportedBy(tx, "txroles", "primary", primary));

            standby.stopFast();
            try {
                await("standby out of rotation", Duration.ofSeconds(10), () -> !replicaInRotation(db));
                assertThat(db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).isFalse();
                assertThat(transactionWithItsStatements(telemetry)).as("a read-only transaction fallen back")
                        .satisfies(tx -> assertReportedBy(tx, "txroles", "primary", primary));
            } finally {
                standby.startAgain();
            }
            await("standby back in rotation", Duration.ofSeconds(15), () -> replicaInRotation(db));
        }
    }

    @Test
    @Order(6)
    void aReadOnlyTransactionsSpanCoversItsWaitForTheStandbysConnection() throws InterruptedException {
        Duration hold = Duration.ofMillis(600);
        try (Telemetry telemetry = new Telemetry();
             Database db = Database.open(config("txwait").property(OpenTelemetryInstrumenter.TRANSACTIONS, "true")
                     .property("db.replica.pool.max-size", "1")
                     .extension(OpenTelemetry.class, telemetry.sdk()).build())) {
            await("standby in rotation", Duration.ofSeconds(10), () -> replicaInRotation(db));
            // Another read-only transaction holds the standby's only connection for a while.
            CountDownLatch holding = new CountDownLatch(1);
            Thread holder = new Thread(() -> db.runInTransaction(READ_ONLY, s -> {
                assertThat(inRecovery(s)).isTrue();
                holding.countDown();
                Thread.sleep(hold.toMillis());
            }));
            holder.start();
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            long asked = epochNanos(Instant.now());
            assertThat(db.inTransaction(READ_ONLY, ReadRoutingTest::inRecovery)).as("it waited for the standby").isTrue();
            holder.join(10_000);

            List<SpanData> waited = transactionWithItsStatements(telemetry);
            assertReportedBy(waited, "txwait-replica", "replica", standby);
            SpanData tx = waited.get(0);
            System.out.printf("[scale] transaction tracing: a read-only transaction that waited for the standby's "
                    + "connection starts %d ms after the call and lasts %d ms (the other held it %d ms)%n",
                    (tx.getStartEpochNanos() - asked) / 1_000_000,
                    (tx.getEndEpochNanos() - tx.getStartEpochNanos()) / 1_000_000, hold.toMillis());
            assertThat(Duration.ofNanos(tx.getStartEpochNanos() - asked)).as("starts when the call began")
                    .isLessThan(hold.dividedBy(3));
            assertThat(Duration.ofNanos(tx.getEndEpochNanos() - tx.getStartEpochNanos()))
                    .as("covers the wait for the connection").isGreaterThanOrEqualTo(hold.dividedBy(2));
        }
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The last transaction span, then its children (its statements and COMMIT), in the order they ended; forgets all. */
    private static List<SpanData> transactionWithItsStatements(Telemetry telemetry) {
        List<SpanData> all = telemetry.spans();
        SpanData tx = all.stream().filter(s -> s.getName().equals("transaction")).reduce((a, b) -> b).orElseThrow();
        List<SpanData> result = new ArrayList<>(List.of(tx));
        all.stream().filter(s -> s.getParentSpanId().equals(tx.getSpanId())).forEach(result::add);
        telemetry.resetSpans();
        return result;
    }

    private static void assertReportedBy(List<? extends SpanData> transaction, String pool, String role, PgCluster host) {
        SpanData tx = transaction.get(0);
        assertThat(tx.getAttributes().get(Telemetry.POOL_NAME)).isEqualTo(pool);
        assertThat(tx.getAttributes().get(Telemetry.POOL_ROLE)).isEqualTo(role);
        assertThat(transaction.subList(1, transaction.size())).extracting(SpanData::getName)
                .endsWith("COMMIT").hasSizeGreaterThanOrEqualTo(2);
        assertThat(transaction).allSatisfy(span -> {
            assertThat(span.getAttributes().get(Telemetry.SERVER_ADDRESS)).isEqualTo("127.0.0.1");
            assertThat(span.getAttributes().get(Telemetry.SERVER_PORT)).isEqualTo((long) host.port());
        });
    }
}
