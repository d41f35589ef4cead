package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import db.api.ConfigException;
import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.Session;
import db.testkit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

/**
 * Property-style: a few thousand generated configurations (random keys, values, URLs and DSNs) with a
 * sentinel secret in every position a secret can take: the user info of a URI, a query parameter
 * ({@code password}, {@code sslpassword}), a DSN value (quoted and not), {@code db.password}, a provider's
 * secret key and an unknown secret-looking key. Each build either succeeds or throws exactly one
 * {@link ConfigException}; the sentinel appears in no message, no {@code toString()}, and in no log event
 * captured at DEBUG (Log4j2, which c3p0 logs to, HikariCP's SLF4J output if bound, and pgjdbc's
 * java.util.logging). Opens alternate between the c3p0 and the HikariCP provider. A sample is also opened
 * against the live server; after each open (failed or not) the JVM's thread count and the server's
 * backends of this test's application name are back to what they were.
 */
class SecretSentinelPropertyTest {
    private static final String SENTINEL = "Zq7S3NT1NEL";
    private static final long SEED = Long.getLong("switchboard.property.seed", 20261130L);
    private static final int CONFIGS = 3000;
    private static final int OPEN_EVERY = 15;
    /**
     * The application_name prefix of every backend this run opens. Other builds on the machine run this
     * test against the same server at the same time: the JVM's pid (ended by "-", so that one pid is not
     * a prefix of another's) keeps their backends out of this run's counts.
     */
    private static final String APP = "swprop" + ProcessHandle.current().pid() + "-";

    private final Random random = new Random(SEED);
    private int downPort;
    /** One connection for counting this test's backends, so that counting costs no connect. */
    private Connection monitor;

    @Test
    void noSentinelAnywhereAndNothingLeftBehind() throws Exception {
        downPort = freePort();
        monitor = TestDatabase.get().connect();
        JulCapture jul = new JulCapture();
        Logger pgjdbc = Logger.getLogger("org.postgresql");
        java.util.logging.Level julLevel = pgjdbc.getLevel();
        pgjdbc.setLevel(java.util.logging.Level.ALL);
        pgjdbc.addHandler(jul);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Level rootLevel = context.getConfiguration().getRootLogger().getLevel();
        Configurator.setRootLevel(Level.DEBUG);
        int built = 0;
        int refused = 0;
        int opened = 0;
        int openFailed = 0;
        long start = System.nanoTime();
        try (LogCapture log4j = LogCapture.start()) {
            for (int i = 0; i < CONFIGS; i++) {
                int threadsBefore = Thread.getAllStackTraces().size();
                DbConfig.Builder builder = generate(i);
                String described = "config #" + i + " (seed " + SEED + ")";
                DbConfig config;
                try {
                    config = builder.build();
                } catch (ConfigException e) {
                    refused++;
                    assertThat(e.problems()).as(described).isNotEmpty();
                    assertNoSentinel(described, e.getMessage(), e.toString(), String.join("\n", e.problems()));
                    // a failed build starts nothing: no thread, no backend
                    assertThat(Thread.getAllStackTraces().size()).as(described + ": threads after a failed build")
                            .isLessThanOrEqualTo(threadsBefore);
                    assertThat(backends()).as(described + ": backends after a failed build").isZero();
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError(described + ": build() threw " + e.getClass().getName()
                            + " instead of a ConfigException", e);
                }
                built++;
                assertNoSentinel(described, config.toString(), config.jdbcUrl(), config.target().toString(),
                        config.targets().toString());
                if (built % OPEN_EVERY == 1) {
                    if (open(config, described)) {
                        opened++;
                    } else {
                        openFailed++;
                    }
                }
            }
            assertNoSentinel("Log4j2 events at DEBUG (c3p0 included)", log4j.text());
            assertNoSentinel("pgjdbc's log records", jul.text());
            assertThat(log4j.text()).as("DEBUG events were captured").contains("DEBUG");
            assertThat(jul.text()).as("pgjdbc logged while connecting").contains("Connecting with URL");
        } finally {
            monitor.close();
            Configurator.setRootLevel(rootLevel);
            pgjdbc.removeHandler(jul);
            pgjdbc.setLevel(julLevel);
        }
        System.out.printf("[property] seed %d: %d configs, %d built, %d refused with one ConfigException; "
                        + "%d opened, %d failed to open; %d ms%n", SEED, CONFIGS, built, refused, opened, openFailed,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertThat(built).as("the generator makes valid configurations").isGreaterThan(CONFIGS / 10);
        assertThat(refused).as("the generator makes invalid configurations").isGreaterThan(CONFIGS / 10);
        assertThat(opened).isPositive();
        assertThat(openFailed).isPositive();
    }

    /** Opens and closes; true when it opened. Afterwards threads and this test's backends are as before. */
    private boolean open(DbConfig config, String described) throws Exception {
        int threadsBefore = Thread.getAllStackTraces().size();
        assertThat(backends()).as(described + ": backends before").isZero();
        boolean opened;
        try (Database db = Database.open(config); Session s = db.openSession()) {
            s.queryOne("select 1", r -> r.getInt(1));
            opened = true;
        } catch (DataAccessException e) {
            assertNoSentinel(described + " open", e.toString(), String.valueOf(e.getCause()));
            if (Boolean.getBoolean("switchboard.property.verbose")) {
                System.out.println("[property] " + described + " did not open: " + e);
            }
            opened = false;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((Thread.getAllStackTraces().size() > threadsBefore || backends() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Thread.getAllStackTraces().size()).as(described + ": threads after open").isLessThanOrEqualTo(threadsBefore);
        assertThat(backends()).as(described + ": backends after open").isZero();
        return opened;
    }

    private int backends() throws SQLException {
        try (PreparedStatement p = monitor.prepareStatement(
                     "select count(*) from pg_stat_activity where application_name like ? and pid <> pg_backend_pid()")) {
            p.setString(1, APP + "%");
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void assertNoSentinel(String where, String... texts) {
        for (String text : texts) {
            if (text != null && text.contains(SENTINEL)) {
                fail(where + " shows the secret: " + text.replace(SENTINEL, "<<SENTINEL>>"));
            }
        }
    }

    // ---- the generator ----

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String secret() {
        return pick(List.of("", "p@", "a/", "x#", "s;", "%zz", "%41", "a b ", "q'", "&", "?", "=", "\\", ":", "r,"))
                + SENTINEL + pick(List.of("", "@h", "/d1", "#f", ";x", "%", "%2", " z", "'", "&k=v", "?", "=", "\\"));
    }

    private String host() {
        TestDatabase db = TestDatabase.get();
        String local = db.jdbcUrl().replaceAll("^jdbc:postgresql://([^/]*)/.*$", "$1");
        return pick(List.of(local, local, local, local, "127.0.0.1:" + downPort + "," + local, "127.0.0.1:99999",
                "127.0.0.1:" + downPort));
    }

    private String database() {
        String db = TestDatabase.get().jdbcUrl().replaceAll("^.*/([^/?]*)(\\?.*)?$", "$1");
        return pick(List.of(db, db, db, db, "", "no_such_db_switchboard"));
    }

    private String parameter() {
        return pick(List.of("sslmode=disable", "sslmode=require", "sslmode=bogus", "target_session_attrs=read-write",
                "target_session_attrs=nope", "keepalives=1", "keepalives=2", "connect_timeout=2", "connect_timeout=0",
                "application_name=" + APP + "url", "fallback_application_name=" + APP + "fb", "service=x",
                "sslpassword=" + SENTINEL, "frobnicate=1", "options=-c%20work_mem%3D4MB", "tcpKeepAlive=1",
                "prepareThreshold=0", "load_balance_hosts=random", "requiressl=0"));
    }

    private String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String url() {
        String secret = secret();
        boolean encoded = random.nextBoolean();
        String pw = encoded ? encode(secret) : secret;
        List<String> params = new ArrayList<>();
        for (int n = random.nextInt(3); n > 0; n--) {
            params.add(parameter());
        }
        switch (random.nextInt(4)) {
            case 0 -> {
                String query = params.isEmpty() ? "" : "?" + String.join("&", params);
                return "postgresql://postgres:" + pw + "@" + host() + "/" + database() + query;
            }
            case 1 -> {
                params.add(random.nextInt(params.size() + 1), pick(List.of("password=", "sslpassword=")) + pw);
                return "jdbc:postgresql://" + host() + "/" + database() + "?" + String.join("&", params);
            }
            case 2 -> {
                String[] hp = host().split(",", -1);
                StringBuilder hosts = new StringBuilder();
                StringBuilder ports = new StringBuilder();
                for (String one : hp) {
                    int colon = one.lastIndexOf(':');
                    hosts.append(hosts.length() > 0 ? "," : "").append(one, 0, colon);
                    ports.append(ports.length() > 0 ? "," : "").append(one.substring(colon + 1));
                }
                String value = random.nextBoolean()
                        ? "'" + secret.replace("\\", "\\\\").replace("'", "\\'") + "'" : secret;
                StringBuilder dsn = new StringBuilder("host=" + hosts + " port=" + ports + " dbname=" + database()
                        + " user=postgres " + pick(List.of("password", "sslpassword")) + "=" + value);
                for (String p : params) {
                    dsn.append(' ').append(p.replace("%20", " ").replace("%3D", "=").replace("options=-c work_mem=4MB",
                            "options='-c work_mem=4MB'"));
                }
                return dsn.toString();
            }
            default -> {
                return "postgresql://postgres@" + host() + "/" + database() + "?password=" + pw
                        + (params.isEmpty() ? "" : "&" + String.join("&", params));
            }
        }
    }

    private DbConfig.Builder generate(int i) {
        DbConfig.Builder b = DbConfig.builder().url(url()).applicationName(APP + i)
                .sessionProvider(pick(List.of("c3p0", "hikari")))
                .poolName("swprop-" + i).minSize(1).maxSize(2)
                .connectTimeout(Duration.ofSeconds(2)).checkoutTimeout(Duration.ofSeconds(1));
        TestDatabase db = TestDatabase.get();
        if (db.user() != null && !db.user().equals("postgres")) {
            b.user(db.user());
        }
        for (int n = random.nextInt(4); n > 0; n--) {
            switch (random.nextInt(12)) {
                case 0 -> b.password(secret());
                case 1 -> b.property("db.test.api-key", secret());
                case 2 -> b.property("db.acme.token", secret());
                case 3 -> b.property("db.pool.max-size", pick(List.of("3", "0", "many", "-1")));
                case 4 -> b.property("db.pool.checkout-timeout", pick(List.of("1s", "-5s", "abc", "9999999999999999h")));
                case 5 -> b.property("db.statement-timeout", pick(List.of("5s", "30d", "PT0.0001S", "0")));
                case 6 -> b.property("db.health-timeout", pick(List.of("2s", "abc", "0")));
                case 7 -> b.property("db.pool.maxsize", "1");
                case 8 -> b.property("db.errors.include-detail", pick(List.of("true", "yes")));
                case 9 -> b.property("db.pool.close-timeout", pick(List.of("2s", "-1s")));
                case 10 -> b.property("db.session-provider", pick(List.of("c3p0", "c3p0 pool")));
                default -> b.property("db.pool.reset", pick(List.of("auto", "sometimes")));
            }
        }
        return b;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Collects pgjdbc's java.util.logging records, formatted with their parameters. */
    private static final class JulCapture extends Handler {
        private final StringBuilder out = new StringBuilder();

        @Override
        public synchronized void publish(LogRecord record) {
            out.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(' ')
                    .append(new java.util.logging.SimpleFormatter().formatMessage(record)).append('\n');
            if (record.getThrown() != null) {
                out.append(record.getThrown()).append('\n');
            }
        }

        synchronized String text() {
            return out.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
