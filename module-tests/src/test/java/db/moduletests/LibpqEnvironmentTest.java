package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.ConnectionRejectedException;
import db.api.DataAccessException;
import db.api.Database;
import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.Session;
import db.testkit.PgCluster;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libpq's habits against real servers: the password file (and the PG* variables that name the target)
 * authenticate a scram role on a throwaway cluster that asks for passwords, through both pools; a password
 * file others may read is ignored with a warning, so the connection fails; a service names the target and
 * its password; PGSSLMODE applies beneath a URL that writes no sslmode; require_auth is enforced by the
 * driver; sslnegotiation=direct against the shared PostgreSQL 15 fails at once and for good with a message
 * saying why; channel_binding=require follows the pgjdbc version on the path. The environment goes through
 * {@link DbConfig#fromEnvironment(Map, Properties)}, never the process environment.
 */
class LibpqEnvironmentTest {
    private static final String ROLE = "pgpass_app";
    private static final String PASSWORD = "Pgpass-S3cret-" + Long.toHexString(System.nanoTime());
    private static final TestSchema SCHEMA = TestDatabase.get().createSchema("libpq_env");
    private static final DatabaseTarget SHARED = Fixtures.config(SCHEMA).build().target();
    private static PgCluster cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void startScramCluster() throws SQLException, InterruptedException {
        cluster = PgCluster.start();
        try (Connection admin = cluster.connect(); Statement st = admin.createStatement()) {
            st.execute("create role " + ROLE + " login password '" + PASSWORD + "'");
            st.execute("create temporary table hba(n serial, line text)");
            st.execute("insert into hba(line) values ('host all " + ROLE + " 127.0.0.1/32 scram-sha-256')");
            st.execute("insert into hba(line) select replace(l, E'\\t', ' ') from "
                    + "regexp_split_to_table(pg_read_file(current_setting('hba_file')), E'\\n') as l");
            String hba;
            try (ResultSet rs = st.executeQuery("show hba_file")) {
                rs.next();
                hba = rs.getString(1).replace("'", "''");
            }
            st.execute("copy (select line from hba order by n) to '" + hba + "'");
            st.execute("select pg_reload_conf()");
        }
        // The reload is asynchronous: wait until the role is asked for its password.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (asksNoPassword()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster still lets " + ROLE + " in without a password");
            }
            Thread.sleep(50);
        }
    }

    private static boolean asksNoPassword() {
        Properties p = new Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", "");
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), p)) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        SCHEMA.close();
    }

    /** libpq's variables naming the scram cluster as the role, HOME in the test's directory, one pool. */
    private Map<String, String> clusterEnv(String provider) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PGHOST", cluster.host());
        env.put("PGPORT", Integer.toString(cluster.port()));
        env.put("PGDATABASE", PgCluster.DATABASE);
        env.put("PGUSER", ROLE);
        env.put("DB_SESSION_PROVIDER", provider);
        env.put("DB_POOL_MIN_SIZE", "1");
        env.put("DB_POOL_MAX_SIZE", "2");
        env.put("DB_POOL_CHECKOUT_TIMEOUT", "5s");
        env.put("DB_CONNECT_TIMEOUT", "5s");
        env.put("DB_POOL_NAME", "libpq-env-" + provider + "-" + Long.toHexString(System.nanoTime()));
        return env;
    }

    private void pgpass(String line, String permissions) throws IOException {
        Path file = home.resolve(".pgpass");
        Files.writeString(file, "# hostname:port:database:username:password\n" + line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    private static String currentUser(Database db) {
        try (Session s = db.openSession()) {
            return s.queryOne("select current_user", rs -> rs.getString(1)).orElseThrow();
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void thePasswordFileAuthenticatesARoleTheServerAsksAPasswordOf(String provider) throws IOException {
        pgpass("127.0.0.1:" + cluster.port() + ":" + PgCluster.DATABASE + ":" + ROLE + ":" + PASSWORD, "rw-------");
        try (LogCapture log = LogCapture.start()) {
            DbConfig config = DbConfig.fromEnvironment(clusterEnv(provider), new Properties());
            assertThat(config.toString()).doesNotContain(PASSWORD);
            try (Database db = Database.open(config)) {
                assertThat(currentUser(db)).isEqualTo(ROLE);
            }
            assertThat(log.text()).doesNotContain(PASSWORD);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aPasswordFileOthersMayReadIsIgnoredWithAWarningAndTheServerRefuses(String provider) throws IOException {
        pgpass("*:*:*:*:" + PASSWORD, "rw-r--r--");
        try (LogCapture log = LogCapture.start()) {
            DbConfig config = DbConfig.fromEnvironment(clusterEnv(provider), new Properties());
            assertThat(config.password()).isEmpty();
            assertThatThrownBy(() -> Database.open(config).close())
                    .isInstanceOf(DataAccessException.class)
                    .satisfies(e -> assertThat(((DataAccessException) e).isRetryable()).isFalse())
                    .hasMessageNotContaining(PASSWORD);
            assertThat(log.text()).contains("password file \"" + home.resolve(".pgpass") + "\" has group or world access")
                    .doesNotContain(PASSWORD);
        }
    }

    @Test
    void aServiceNamesTheTargetAndItsPasswordAndStaysSecret() throws IOException {
        Files.writeString(home.resolve(".pg_service.conf"), "# the scram cluster\n[scram]\nhost=" + cluster.host()
                + "\nport=" + cluster.port() + "\ndbname=" + PgCluster.DATABASE + "\nuser=" + ROLE + "\npassword="
                + PASSWORD + "\n");
        Map<String, String> env = clusterEnv(Fixtures.DEFAULT_PROVIDER);
        env.keySet().removeIf(k -> k.startsWith("PGHOST") || k.equals("PGPORT") || k.equals("PGDATABASE")
                || k.equals("PGUSER"));
        env.put("PGSERVICE", "scram");
        try (LogCapture log = LogCapture.start()) {
            DbConfig config = DbConfig.fromEnvironment(env, new Properties());
            assertThat(config.toString()).doesNotContain(PASSWORD);
            try (Database db = Database.open(config)) {
                assertThat(currentUser(db)).isEqualTo(ROLE);
            }
            assertThat(log.text()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void pgsslmodeAppliesBeneathAUrlThatWritesNoSslmode() {
        // The throwaway cluster has no TLS: sslmode=require from PGSSLMODE must make the connection fail,
        // where the same URL without the variable connects.
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("DB_URL", cluster.jdbcUrl());
        env.put("DB_USER", PgCluster.USER);
        env.put("DB_POOL_MIN_SIZE", "1");
        env.put("DB_CONNECT_TIMEOUT", "5s");
        env.put("DB_POOL_CHECKOUT_TIMEOUT", "5s");
        env.put("DB_SESSION_PROVIDER", Fixtures.DEFAULT_PROVIDER);
        env.put("DB_POOL_NAME", "libpq-env-sslmode-" + Long.toHexString(System.nanoTime()));
        try (Database db = Database.open(DbConfig.fromEnvironment(env, new Properties()))) {
            assertThat(currentUser(db)).isEqualTo(PgCluster.USER);
        }
        env.put("PGSSLMODE", "require");
        env.put("DB_POOL_NAME", env.get("DB_POOL_NAME") + "-require");
        DbConfig config = DbConfig.fromEnvironment(env, new Properties());
        assertThat(config.urlParameters()).containsEntry("sslmode", "require");
        assertThatThrownBy(() -> Database.open(config).close())
                .isInstanceOf(ConnectionRejectedException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).isRetryable()).isFalse());
    }

    @Test
    void requireAuthIsEnforcedByTheDriver() throws IOException {
        pgpass("*:*:*:" + ROLE + ":" + PASSWORD, "rw-------");
        Map<String, String> env = clusterEnv(Fixtures.DEFAULT_PROVIDER);
        env.put("PGREQUIREAUTH", "scram-sha-256");
        try (Database db = Database.open(DbConfig.fromEnvironment(env, new Properties()))) {
            assertThat(currentUser(db)).isEqualTo(ROLE);
        }
        env.put("PGREQUIREAUTH", "password");
        env.put("DB_POOL_NAME", env.get("DB_POOL_NAME") + "-password");
        assertThatThrownBy(() -> Database.open(DbConfig.fromEnvironment(env, new Properties())).close())
                .isInstanceOf(ConnectionRejectedException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).isRetryable()).isFalse())
                .hasMessageNotContaining(PASSWORD);
        // The shared server trusts loopback: a client that requires scram must not accept "no authentication".
        assertThatThrownBy(() -> Database.open(shared("require_auth=scram-sha-256")).close())
                .isInstanceOf(ConnectionRejectedException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).isRetryable()).isFalse());
    }

    @Test
    void directNegotiationAgainstAServerBefore17FailsAtOnceAndSaysWhy() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Database.open(shared("sslmode=require sslnegotiation=direct")).close())
                .isInstanceOf(ConnectionRejectedException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).isRetryable()).isFalse())
                .hasMessageContaining("sslnegotiation=direct needs PostgreSQL 17 or later");
        // Not waited out as an outage: the checkout timeout is 5 s.
        assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
    }

    @Test
    void channelBindingRequireAndRequireAuthFollowThePgjdbcVersionOnThePath() throws ReflectiveOperationException {
        Class<?> info = Class.forName("org.postgresql.util.DriverInfo");
        int minor = info.getField("MINOR_VERSION").getInt(null);
        int patch = info.getField("PATCH_VERSION").getInt(null);
        assertThat(info.getField("MAJOR_VERSION").getInt(null)).isEqualTo(42);
        assertThat(minor).isEqualTo(7);
        String version = info.getField("DRIVER_VERSION").get(null).toString();
        if (patch >= 12) {
            assertThat(shared("channel_binding=require").urlParameters()).containsEntry("channelBinding", "require");
        } else {
            assertThatThrownBy(() -> shared("channel_binding=require"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("channel_binding=require needs pgjdbc 42.7.12 or later, but pgjdbc "
                            + version + " is on the path")
                    .hasMessageContaining("CVE-2026-54291");
        }
        if (patch >= 11) {
            assertThat(shared("require_auth=none").urlParameters()).containsEntry("requireAuth", "none");
        } else {
            assertThatThrownBy(() -> shared("require_auth=none"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("require_auth needs pgjdbc 42.7.11");
        }
    }

    /** A config for the shared server with extra libpq parameters (its credentials from the fixture). */
    private static DbConfig shared(String extra) {
        return Fixtures.config(SCHEMA).minSize(1).maxSize(1)
                .url("host=" + SHARED.host() + " port=" + SHARED.port() + " dbname=" + SHARED.database() + " " + extra)
                .build();
    }
}
