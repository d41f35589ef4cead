package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConnectionException;
import db.api.Database;
import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The libpq parameter table against the live server, where a parameter has an observable effect:
 * keepalive on the socket, application name, options, and target_session_attrs choosing the right host
 * of a two-host list where one host is down.
 */
class LibpqParametersTest {
    @RegisterExtension
    static final PoolSchema pools = new PoolSchema("libpq");

    /** Where the test server is, as the fixture's config names it. */
    private static DatabaseTarget target() {
        return Fixtures.config(pools.schema()).build().target();
    }

    /** A DSN for the test server with extra libpq parameters; credentials come from the fixture. */
    private static DbConfig.Builder dsn(String host, String port, String extra) {
        return Fixtures.config(pools.schema()).minSize(1).maxSize(1)
                .url("host=" + host + " port=" + port + " dbname=" + target().database() + " " + extra);
    }

    private static DbConfig.Builder dsn(String extra) {
        return dsn(target().host(), Integer.toString(target().port()), extra);
    }

    private static String name() {
        return "libpq-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void applicationNameAndOptionsReachTheServer() {
        String app = name();
        try (Database db = Database.open(dsn("application_name=" + app
                        + " options='-c work_mem=5MB -c search_path=" + pools.schema().name() + "'")
                .statementTimeout(Duration.ofSeconds(7)).build());
             Session s = db.openSession()) {
            List<String> settings = s.query("select current_setting('application_name'), current_setting('work_mem'), "
                            + "current_setting('statement_timeout'), current_setting('search_path')",
                    r -> r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" + r.getString(4));
            assertThat(settings).containsExactly(app + "|5MB|7s|" + pools.schema().name());
            assertThat(s.queryOne("select count(*) from pg_stat_activity where application_name = ?",
                    r -> r.getInt(1), app)).contains(1);
        }
    }

    @Test
    void fallbackApplicationNameIsUsedWhenNoneIsGiven() {
        String app = name();
        try (Database db = Database.open(dsn("fallback_application_name=" + app).build());
             Session s = db.openSession()) {
            assertThat(s.queryOne("select current_setting('application_name')", r -> r.getString(1))).contains(app);
        }
    }

    @Test
    void keepalivesTurnTheSocketsKeepaliveOnAndOff() throws IOException {
        assertThat(keepaliveTimerArmed("keepalives=1")).isTrue();
        assertThat(keepaliveTimerArmed("keepalives=0")).isFalse();
        assertThat(keepaliveTimerArmed("")).as("libpq's default is keepalives=1").isTrue();
    }

    /** Whether the kernel arms a keepalive timer on this client's socket (/proc/net/tcp, timer 2). */
    private static boolean keepaliveTimerArmed(String parameter) throws IOException {
        String app = name();
        try (Database db = Database.open(dsn("application_name=" + app + " " + parameter).build());
             Session s = db.openSession()) {
            int clientPort = s.queryOne("select client_port from pg_stat_activity where application_name = ?",
                    r -> r.getInt(1), app).orElseThrow();
            String localPort = String.format(Locale.ROOT, ":%04X", clientPort);
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path path = Path.of(table);
                if (!Files.exists(path)) {
                    continue;
                }
                for (String line : Files.readAllLines(path)) {
                    String[] f = line.trim().split("\\s+", -1);
                    // sl local rem st tx:rx tr:when ...; st 01 = ESTABLISHED; tr 2 = keepalive timer
                    if (f.length > 5 && f[1].endsWith(localPort) && f[3].equals("01")) {
                        return f[5].startsWith("02:");
                    }
                }
            }
            throw new AssertionError("no socket with local port " + clientPort + " in /proc/net/tcp*");
        }
    }

    @Test
    void targetSessionAttrsChooseTheRightHostWhenOneIsDown() throws IOException {
        String down = Integer.toString(freePort());
        String up = Integer.toString(target().port());
        String hosts = target().host() + "," + target().host();
        for (String attrs : List.of("any", "read-write", "primary", "prefer-standby")) {
            try (Database db = Database.open(dsn(hosts, down + "," + up, "target_session_attrs=" + attrs).build());
                 Session s = db.openSession()) {
                assertThat(s.queryOne("select inet_server_port()", r -> r.getInt(1))).as(attrs).contains(target().port());
            }
        }
        // The only live server is a primary: asking for a standby or a read-only session finds none.
        for (String attrs : List.of("standby", "read-only")) {
            assertThatThrownBy(() -> Database.open(dsn(hosts, down + "," + up, "target_session_attrs=" + attrs)
                    .build()).close())
                    .as(attrs).isInstanceOf(ConnectionException.class).hasMessageContaining("secondary");
        }
    }

    @Test
    void loadBalancingStillFindsTheLiveHost() throws IOException {
        String down = Integer.toString(freePort());
        for (int i = 0; i < 3; i++) {
            try (Database db = Database.open(dsn(target().host() + "," + target().host(), down + "," + target().port(),
                    "load_balance_hosts=random").build());
                 Session s = db.openSession()) {
                assertThat(s.queryOne("select inet_server_port()", r -> r.getInt(1))).contains(target().port());
            }
        }
    }

    /** A port nothing listens on (bound, then released). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
