package db.scaletests;

import static db.scaletests.Standbys.await;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.DbConfig;
import db.api.PoolStatus;
import db.api.TxOptions;
import db.testkit.HaProxy;
import db.testkit.PatroniCluster;
import db.testkit.PatroniCluster.Member;
import db.testkit.PgCluster;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * High availability with a real failover manager: three PostgreSQL members run by Patroni (synchronous mode,
 * ttl {@value PatroniCluster#TTL_SECONDS} s), reached by a multi-host URL of every member and, with the same
 * assertions, through HAProxy's write and read ports. Under 8 writers with retries: the leader is killed hard
 * (Patroni and PostgreSQL, SIGKILL), writes resume on the member Patroni promotes, every acknowledged commit is
 * there, the old leader rejoins as a replica and reads reach it again; then a planned switchover through
 * Patroni's REST API loses no transaction. Prints the times it measures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniHaTest {
    private static final int WRITERS = 8;
    private static final Duration CHECKOUT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(200);
    /** A writer's longest wait for an outcome or a retry: one checkout, one connect, one backoff, and slack. */
    private static final Duration STALL_BOUND = CHECKOUT_TIMEOUT.plus(CONNECT_TIMEOUT).plus(MAX_BACKOFF).plusSeconds(1);
    private static final AtomicLong RUNS = new AtomicLong();

    private static PatroniCluster cluster;
    private static HaProxy haproxy;

    /** How the application reaches the cluster. */
    enum Topology {
        /** {@code db.url} and {@code db.replica.url} list every member; Switchboard finds the primary. */
        MULTI_HOST,
        /** {@code db.url} is HAProxy's write port, {@code db.replica.url} its read port. */
        HAPROXY;

        DbConfig.Builder config(String name, Telemetry telemetry) {
            boolean direct = this == MULTI_HOST;
            return DbConfig.builder()
                    .url(direct ? cluster.multiHostUrl() : haproxy.writeUrl())
                    .property("db.replica.url", direct ? cluster.multiHostUrl() : haproxy.readUrl())
                    .property("db.replica.probe-interval", "200ms")
                    .property("db.replica.pool.min-size", "1")
                    .property("db.replica.pool.max-size", "4")
                    .user(PgCluster.USER)
                    .poolName(name)
                    .minSize(2)
                    .maxSize(WRITERS)
                    .checkoutTimeout(CHECKOUT_TIMEOUT)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .extension(OpenTelemetry.class, telemetry.sdk());
        }
    }

    @BeforeAll
    static void startCluster() throws SQLException {
        cluster = PatroniCluster.start(3);
        haproxy = HaProxy.start(cluster);
        try (Connection c = cluster.connect(cluster.leader().orElseThrow()); Statement s = c.createStatement()) {
            s.execute("create table ledger (id bigint primary key, writer int not null)");
        }
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (haproxy != null) {
                haproxy.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    @Order(1)
    void aKilledLeaderIsReplacedWithinTtlWithNoAcknowledgedCommitLostAndRejoinsTheReadRotation(Topology topology)
            throws Exception {
        cluster.awaitHealthy(Duration.ofSeconds(60));
        Member leader = cluster.leader().orElseThrow();
        try (Telemetry telemetry = new Telemetry();
             Database db = Database.open(topology.config("failover-" + topology.name().toLowerCase(Locale.ROOT), telemetry).build())) {
            awaitReadRotation(topology, db, cluster.replicas());
            WriteLoad load = new WriteLoad(db, WRITERS, RUNS.incrementAndGet() * 10_000_000L, MAX_BACKOFF);
            long killed;
            long firstCommit;
            long full;
            double baseline;
            try (load) {
                await("writes before the kill", Duration.ofSeconds(30), () -> load.acknowledged().size() >= 500);
                baseline = load.rate(System.nanoTime() - Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(2));
                killed = System.nanoTime();
                cluster.kill(leader);
                await("a new leader", PatroniCluster.TTL.plusSeconds(20), () -> cluster.leader().isPresent());
                int promoted = cluster.leader().orElseThrow().port();
                await("a commit on the new leader", Duration.ofSeconds(20), () -> load.firstCommitOn(promoted, killed) != 0);
                firstCommit = load.firstCommitOn(promoted, killed);
                await("throughput back to 80% of before the kill", Duration.ofSeconds(30),
                        () -> load.reached(killed, 0.8 * baseline, Duration.ofSeconds(1)) != 0);
                full = load.reached(killed, 0.8 * baseline, Duration.ofSeconds(1));
                telemetry.resetSpans();
                int before = load.acknowledged().size();
                await("writes after the failover", Duration.ofSeconds(20), () -> load.acknowledged().size() >= before + 200);
            }
            Member newLeader = cluster.leader().orElseThrow();
            Set<Long> present = ids(newLeader, load);
            Set<Long> missing = new HashSet<>(load.acknowledged());
            missing.removeAll(present);
            long unknownCommitted = load.unknown().stream().filter(present::contains).count();
            Duration toFirst = Duration.ofNanos(firstCommit - killed);
            Duration toFull = Duration.ofNanos(full - killed);
            System.out.printf("[scale] patroni failover (%s): %s killed, %s promoted; kill to the first commit on the new leader %d ms, to "
                            + "80%% of the %.0f commits/s before %d ms; acknowledged %d, missing on the new leader %d; "
                            + "unknown outcomes %d (%d committed); failed after retries %d; longest writer stall %d ms%n",
                    topology, leader.name(), newLeader.name(), toFirst.toMillis(), baseline, toFull.toMillis(),
                    load.acknowledged().size(), missing.size(), load.unknown().size(), unknownCommitted,
                    load.failed().size(), load.longestStall().toMillis());

            assertThat(missing).as("acknowledged commits missing on the new leader").isEmpty();
            assertThat(load.failed().size()).as("writes that failed after retries: %s", load.failures()).isZero();
            assertThat(toFirst).as("kill to the first successful write").isLessThanOrEqualTo(PatroniCluster.TTL.plusSeconds(5));
            assertThat(load.longestStall()).as("longest time a writer waited for an outcome or a retry")
                    .isLessThanOrEqualTo(STALL_BOUND);
            assertNamesTheLeader(topology, db, telemetry, newLeader);

            long restarted = System.nanoTime();
            cluster.restart(leader);
            cluster.awaitHealthy(Duration.ofSeconds(90));
            Duration rejoined = Duration.ofNanos(System.nanoTime() - restarted);
            Duration inRotation = awaitReadRotation(topology, db, List.of(leader));
            System.out.printf("[scale] patroni rejoin (%s): %s back as a replica (pg_rewind) %d ms after its restart, "
                    + "in the read rotation %d ms later%n", topology, leader.name(), rejoined.toMillis(), inRotation.toMillis());
            assertThat(cluster.replicas()).contains(leader);
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    @Order(2)
    void aPlannedSwitchoverLosesNoTransactionAndPausesWritesBriefly(Topology topology) throws Exception {
        cluster.awaitHealthy(Duration.ofSeconds(60));
        Member leader = cluster.leader().orElseThrow();
        Member candidate = cluster.members().stream().filter(m -> !m.equals(leader))
                .filter(m -> cluster.isSynchronousStandby(m)).findFirst().orElseThrow();
        try (Telemetry telemetry = new Telemetry();
             Database db = Database.open(topology.config("switchover-" + topology.name().toLowerCase(Locale.ROOT), telemetry).build())) {
            WriteLoad load = new WriteLoad(db, WRITERS, RUNS.incrementAndGet() * 10_000_000L, MAX_BACKOFF);
            long asked;
            long answered;
            long settled;
            try (load) {
                await("writes before the switchover", Duration.ofSeconds(30), () -> load.acknowledged().size() >= 500);
                asked = System.nanoTime();
                cluster.switchover(leader, candidate);
                answered = System.nanoTime();
                await("a commit on the new leader", Duration.ofSeconds(30),
                        () -> load.firstCommitOn(candidate.port(), asked) != 0);
                int before = load.acknowledged().size();
                await("writes after the switchover", Duration.ofSeconds(20), () -> load.acknowledged().size() >= before + 200);
                settled = System.nanoTime();
            }
            Duration pause = load.longestPause(asked, settled);
            Set<Long> present = ids(candidate, load);
            Set<Long> missing = new HashSet<>(load.acknowledged());
            missing.removeAll(present);
            System.out.printf("[scale] patroni switchover (%s): %s -> %s, REST call %d ms; longest pause in commits %d ms; "
                            + "acknowledged %d, missing %d; unknown outcomes %d; failed after retries %d%n", topology,
                    leader.name(), candidate.name(), Duration.ofNanos(answered - asked).toMillis(), pause.toMillis(),
                    load.acknowledged().size(), missing.size(), load.unknown().size(), load.failed().size());

            assertThat(cluster.leader()).contains(candidate);
            assertThat(missing).as("acknowledged commits missing on the new leader").isEmpty();
            assertThat(load.failed().size()).as("transactions that failed after retries: %s", load.failures()).isZero();
            assertThat(pause).as("longest pause in commits during the switchover").isLessThanOrEqualTo(Duration.ofSeconds(5));
            assertNamesTheLeader(topology, db, telemetry, candidate);
        }
    }

    /**
     * Multi-host: the primary pool and the statement spans name the new leader. Through HAProxy both name the
     * proxy's write port (what the application connects to), and the session itself is on the new leader.
     */
    private static void assertNamesTheLeader(Topology topology, Database db, Telemetry telemetry, Member leader) {
        PoolStatus primary = db.pools().get(0);
        int port = db.inTransaction(TxOptions.DEFAULTS,
                s -> s.queryOne("select inet_server_port()", rs -> rs.getInt(1)).orElseThrow());
        assertThat(port).as("the port of the server the session is on").isEqualTo(leader.port());
        List<SpanData> writes = telemetry.spans(WriteLoad.INSERT);
        assertThat(writes).isNotEmpty();
        SpanData last = writes.get(writes.size() - 1);
        long expected = topology == Topology.MULTI_HOST ? leader.port() : haproxy.writePort();
        assertThat(last.getAttributes().get(Telemetry.SERVER_PORT)).as("server.port of the last write's span")
                .isEqualTo(expected);
        if (topology == Topology.MULTI_HOST) {
            assertThat(primary.server()).as("the primary pool's server").isEqualTo(leader.address());
        }
    }

    /**
     * Waits until read-only work can reach every one of {@code replicas}: multi-host, their pools are in
     * rotation; through HAProxy, new connections to the read port reach each of them.
     */
    private static Duration awaitReadRotation(Topology topology, Database db, List<Member> replicas) {
        return await("read rotation includes " + replicas, Duration.ofSeconds(30), () -> {
            if (topology == Topology.MULTI_HOST) {
                return replicas.stream().allMatch(m -> db.pools().stream().anyMatch(p -> p.role() == PoolStatus.Role.REPLICA
                        && p.server().equals(m.address()) && p.inRotation()));
            }
            Set<Integer> reached = new HashSet<>();
            for (int i = 0; i < 2 * cluster.members().size(); i++) {
                reached.add(serverPortThrough(haproxy.readUrl()));
            }
            return replicas.stream().allMatch(m -> reached.contains(m.port()));
        });
    }

    private static int serverPortThrough(String url) {
        try (Connection c = DriverManager.getConnection(url, PgCluster.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Set<Long> ids(Member member, WriteLoad load) throws SQLException {
        Set<Long> found = new HashSet<>();
        try (Connection c = cluster.connect(member); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from ledger where id >= " + load.firstId() + " and id < "
                     + load.lastId())) {
            while (rs.next()) {
                found.add(rs.getLong(1));
            }
        }
        return found;
    }
}
