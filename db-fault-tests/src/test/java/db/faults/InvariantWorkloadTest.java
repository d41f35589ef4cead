package db.faults;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.faults.Workload.Call;
import db.faults.Workload.Outcome;
import db.testkit.PgCluster;
import db.testkit.TcpProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 16 threads of short transactions writing unique ids through the fault proxy to a throwaway cluster,
 * while one fault at a time hits. After each: every commit the application saw succeed is present,
 * every one it was told failed is absent (unknown ones may be either), no call blocked past its bound,
 * every failure was a mapped exception; the time to the first success after the fault and the errors by
 * class are printed.
 */
class InvariantWorkloadTest {

    static final int THREADS = 16;
    static final Duration CHECKOUT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The longest a call may block: the checkout (one deadline, while the pool reconnects) plus the
     * statement and the COMMIT each bounded by the network timeout, plus scheduling slack on 2 cores.
     */
    static final Duration CALL_BOUND = CHECKOUT_TIMEOUT.plus(NETWORK_TIMEOUT.multipliedBy(2)).plusSeconds(3);

    private static PgCluster cluster;
    private static TcpProxy proxy;
    private static Database db;

    @BeforeAll
    static void start() throws SQLException {
        cluster = PgCluster.start();
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ledger (id bigint PRIMARY KEY)");
        }
        proxy = TcpProxy.start(cluster.port(), TcpProxy.Mode.FORWARD);
        db = Database.open(FaultSetup.throughProxy(cluster, proxy, "faults-invariant")
                .minSize(4)
                .maxSize(THREADS)
                .checkoutTimeout(CHECKOUT_TIMEOUT)
                .connectTimeout(CONNECT_TIMEOUT)
                .statementTimeout(STATEMENT_TIMEOUT)
                .property("db.network-timeout", NETWORK_TIMEOUT.toString())
                .build());
    }

    @AfterAll
    static void stop() {
        FaultSetup.closeAll(db, proxy, cluster);
    }

    @Test
    void fastRestart() throws SQLException {
        phase("fast restart", cluster::restartFast);
    }

    @Test
    void immediateStopAndStart() throws SQLException {
        phase("immediate stop + start", () -> {
            cluster.stopImmediate();
            Workload.pause(1_000);
            cluster.startAgain();
        });
    }

    @Test
    void crashAndStart() throws SQLException {
        phase("crash (kill -9) + start", () -> {
            cluster.crash();
            cluster.startAgain(); // crash recovery replays the WAL
        });
    }

    @Test
    void cutAll() throws SQLException {
        phase("cut all connections", proxy::cut);
    }

    @Test
    void stallLongerThanTheNetworkTimeout() throws SQLException {
        phase("stall both ways " + NETWORK_TIMEOUT.plusSeconds(2).toMillis() + " ms", () -> {
            proxy.stall();
            Workload.pause(NETWORK_TIMEOUT.plusSeconds(2).toMillis());
            proxy.resume();
        });
    }

    @Test
    void cutDuringCommit() throws SQLException {
        int before = proxy.markerCuts();
        Call[] probe = new Call[1];
        phase("cut during COMMIT", load -> {
            // The probe's statement text is seen by the proxy (first use: pgjdbc sends the text); the chunk
            // after it on that connection is the COMMIT, which reaches the server before everything is cut.
            proxy.cutAfterNextUpstream("cut-commit-probe");
            probe[0] = load.runOne("INSERT INTO ledger (id) VALUES (?) /* cut-commit-probe */");
        });
        assertThat(proxy.markerCuts()).as("the proxy cut right after the probe's COMMIT").isEqualTo(before + 1);
        assertThat(probe[0].outcome()).as("the transaction whose COMMIT was cut is reported as unknown")
                .isEqualTo(Outcome.UNKNOWN);
    }

    private static List<Call> phase(String name, Runnable fault) throws SQLException {
        return phase(name, load -> fault.run());
    }

    /**
     * Runs the workload, injects the fault (which may use the workload) after a second of steady load,
     * waits for the first success after it (bounded), stops, checks and prints.
     */
    private static List<Call> phase(String name, Consumer<Workload> fault) throws SQLException {
        Workload load = new Workload(db, "ledger", THREADS);
        load.start();
        Workload.pause(1_000);
        long faultStart = System.nanoTime();
        fault.accept(load);
        long faultEnd = System.nanoTime();
        // Bounded: the pool must be back within the checkout timeout of the fault's end.
        long deadline = faultEnd + CHECKOUT_TIMEOUT.plusSeconds(5).toNanos();
        while (!load.committedSince(faultEnd) && System.nanoTime() < deadline) {
            Workload.pause(10);
        }
        Workload.pause(500);
        boolean stopped = load.stop(CALL_BOUND);
        proxy.forward();
        List<Call> calls = load.calls();

        Set<Long> present = presentIds();
        long committed = calls.stream().filter(c -> c.outcome() == Outcome.COMMITTED).count();
        long failed = calls.stream().filter(c -> c.outcome() == Outcome.FAILED).count();
        long unknown = calls.stream().filter(c -> c.outcome() == Outcome.UNKNOWN).count();
        long lost = calls.stream().filter(c -> c.outcome() == Outcome.COMMITTED && !present.contains(c.id())).count();
        long phantom = calls.stream().filter(c -> c.outcome() == Outcome.FAILED && present.contains(c.id())).count();
        long unknownPresent = calls.stream().filter(c -> c.outcome() == Outcome.UNKNOWN && present.contains(c.id()))
                .count();
        long maxCallMs = calls.stream().mapToLong(Call::millis).max().orElse(0);
        Call first = Workload.firstSuccessStartedAfter(calls, faultEnd);
        long firstSuccessMs = first == null ? -1 : (first.endNanos() - faultEnd) / 1_000_000;
        long[] commitEnds = calls.stream().filter(c -> c.outcome() == Outcome.COMMITTED).mapToLong(Call::endNanos)
                .sorted().toArray();
        long longestGapMs = 0;
        for (int i = 1; i < commitEnds.length; i++) {
            longestGapMs = Math.max(longestGapMs, (commitEnds[i] - commitEnds[i - 1]) / 1_000_000);
        }
        System.out.printf("[faults] %-28s fault took %5d ms | calls %6d: committed %6d, failed %4d, unknown %2d "
                        + "(%d of them committed) | lost %d, phantom %d | no commit for %5d ms (longest gap) | first success "
                        + "%4d ms after the fault ended | longest call %5d ms (bound %d ms) | errors %s%n",
                name, (faultEnd - faultStart) / 1_000_000, calls.size(), committed, failed, unknown, unknownPresent,
                lost, phantom, longestGapMs, firstSuccessMs, maxCallMs, CALL_BOUND.toMillis(),
                Workload.errorsByClass(calls));

        assertThat(stopped).as("every workload thread ended within the call bound").isTrue();
        assertThat(lost).as("acknowledged commits missing after '" + name + "'").isZero();
        assertThat(phantom).as("transactions reported failed but present after '" + name + "'").isZero();
        assertThat(maxCallMs).as("longest call during '" + name + "'").isLessThanOrEqualTo(CALL_BOUND.toMillis());
        assertThat(first).as("a transaction succeeded after '" + name + "'").isNotNull();
        assertThat(Workload.allMapped(calls)).as("every failure is a mapped DataAccessException: "
                + Workload.errorsByClass(calls)).isTrue();
        return calls;
    }

    private static Set<Long> presentIds() throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = cluster.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM ledger")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
