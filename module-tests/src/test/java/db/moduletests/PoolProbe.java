package db.moduletests;

import static db.testkit.Conditions.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.DataAccessException;
import db.api.Database;
import db.api.Session;
import db.testkit.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What the pool-behaviour suite looks at behind the pool's back: the server's view of the backends a
 * pool owns (filtered by its unique application name, since other suites share the server) and killing
 * them. Waiting for a condition is {@code db.testkit.Conditions#eventually}.
 */
final class PoolProbe {
    /** A password that must never show up in a message or a log line. */
    static final String PASSWORD_SENTINEL = "pw-SENTINEL-4b7e02";

    private PoolProbe() {
    }

    /** A unique application (and pool) name, so pg_stat_activity tells this pool's backends apart. */
    static String uniqueAppName(String provider, String prefix) {
        return ("sbpool-" + provider + "-" + prefix + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL)).toLowerCase(Locale.ROOT);
    }

    /** Backends with this application name, counted by the server. */
    static int backends(TestDatabase db, String appName) {
        return count(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()",
                appName);
    }

    /** Kills every backend with this application name; returns how many. */
    static int killBackends(TestDatabase db, String appName) {
        return count(db, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = ? AND pid <> pg_backend_pid()", appName);
    }

    private static int count(TestDatabase db, String sql, String appName) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, appName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a trivial query in the session. */
    static int selectOne(Session s) {
        return s.queryOne("SELECT 1", r -> r.getInt(1)).orElseThrow();
    }

    /** Opens a session and checks that it answers a trivial query. */
    static void assertServes(Database db) {
        try (Session s = db.openSession()) {
            assertThat(selectOne(s)).isEqualTo(1);
        }
    }

    /** Whether a session opens and answers a trivial query now; a failure to get one counts as no. */
    static boolean serves(Database db) {
        try (Session s = db.openSession()) {
            return selectOne(s) == 1;
        } catch (DataAccessException e) {
            return false;
        }
    }

    /**
     * Holds {@code count} sessions at once, checks that each answers a trivial query, then gives them all
     * back: every connection of a pool that size has been used.
     */
    static void assertServesAtOnce(Database db, int count) {
        List<Session> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(db.openSession());
        }
        for (Session s : held) {
            assertThat(selectOne(s)).isEqualTo(1);
            s.close();
        }
    }

    /** Waits a little for the threads whose name contains {@code app} to end, and fails if some stay. */
    static void assertNoThreadLeft(String app) {
        assertThat(eventually(Duration.ofSeconds(5), () -> threadsNamed(app).isEmpty()))
                .as("threads left: %s", threadsNamed(app)).isTrue();
    }

    /** A loopback port nobody listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Names of the live threads whose name contains {@code part}. */
    static Set<String> threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.contains(part))
                .collect(Collectors.toSet());
    }

    /** Longer than both providers' validation window (500 ms): a connection idle this long is validated. */
    static void sleepPastValidationWindow() throws InterruptedException {
        Thread.sleep(600);
    }
}
