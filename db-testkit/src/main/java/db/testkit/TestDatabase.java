package db.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The PostgreSQL the tests run against, found in this order: {@code DB_TEST_URL} (a JDBC URL, with
 * user and password in it or in {@code DB_TEST_USER} / {@code DB_TEST_PASSWORD}); else a
 * Testcontainers PostgreSQL when a Docker engine answers; else
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres} when it answers; else the run fails
 * with a message saying how to provide one. Tests are never skipped silently.
 */
public final class TestDatabase {

    /** The local server's URL, tried when neither DB_TEST_URL nor Docker is there. */
    public static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** The local server's user. */
    public static final String LOCAL_USER = "postgres";
    /**
     * System property: {@code pgbouncer-transaction} runs the tests through a real PgBouncer in
     * transaction mode in front of a throwaway cluster (see {@link #viaPgBouncer()}).
     */
    public static final String VIA_PROPERTY = "db.test.via";

    private static final Object LOCK = new Object();
    private static TestDatabase instance;

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String source;
    /** Through PgBouncer: the URL applications use (schemas are roles there); {@code null} otherwise. */
    private final String bouncerUrl;

    private TestDatabase(String jdbcUrl, String user, String password, String source) {
        this(jdbcUrl, user, password, source, null);
    }

    private TestDatabase(String jdbcUrl, String user, String password, String source, String bouncerUrl) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.source = source;
        this.bouncerUrl = bouncerUrl;
    }

    /** The test database of this JVM, found once. */
    public static TestDatabase get() {
        synchronized (LOCK) {
            if (instance == null) {
                instance = locate();
                System.out.println("[testkit] test database: " + instance);
            }
            return instance;
        }
    }

    private static TestDatabase locate() {
        String via = System.getProperty(VIA_PROPERTY, "");
        if (via.equals("pgbouncer-transaction")) {
            return viaPgBouncer();
        }
        if (!via.isBlank()) {
            throw new IllegalStateException(VIA_PROPERTY + "=" + via + " is not known (only pgbouncer-transaction)");
        }
        String url = System.getenv("DB_TEST_URL");
        if (url != null && !url.isBlank()) {
            TestDatabase db = new TestDatabase(url, System.getenv("DB_TEST_USER"), System.getenv("DB_TEST_PASSWORD"),
                    "DB_TEST_URL");
            db.requireAnswer();
            return db;
        }
        TestDatabase container = Containers.startIfDockerAnswers();
        if (container != null) {
            return container;
        }
        TestDatabase local = new TestDatabase(LOCAL_URL, LOCAL_USER, null, "local server");
        try {
            local.connect().close();
            return local;
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL for the tests: DB_TEST_URL is not set, no Docker engine "
                    + "answers for Testcontainers, and " + LOCAL_URL + " as user " + LOCAL_USER
                    + " does not answer (" + e.getMessage() + "). Start a local PostgreSQL on 127.0.0.1:5432 "
                    + "with a database 'test', or set DB_TEST_URL (and DB_TEST_USER / DB_TEST_PASSWORD).", e);
        }
    }

    /**
     * A throwaway cluster with a real PgBouncer in transaction mode in front of it (both removed when the
     * JVM exits). Applications connect through PgBouncer ({@link TestSchema#jdbcUrl()}); {@link #connect()}
     * goes to the cluster directly, behind the library's and the pooler's back. Each test schema gets a role
     * of the same name whose default {@code search_path} is the schema, because PgBouncer 1.18 refuses the
     * {@code search_path} startup parameter that {@code currentSchema} sends (and a session SET would leak).
     */
    public static TestDatabase viaPgBouncer() {
        PgCluster cluster = PgCluster.start();
        PgBouncer bouncer;
        try {
            bouncer = PgBouncer.start(cluster.port(), PgBouncer.PoolMode.TRANSACTION);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(bouncer::close, "pgbouncer-cleanup"));
        return new TestDatabase(cluster.jdbcUrl() + "?user=" + PgCluster.USER, null, null,
                "pgbouncer-transaction " + bouncer + " in front of " + cluster, bouncer.jdbcUrl(PgCluster.DATABASE));
    }

    /**
     * The URL an application under test uses for the {@code test} database: through PgBouncer (as
     * {@code postgres}) when {@link #throughPgBouncer()}, else {@link #jdbcUrl()}.
     */
    public String applicationUrl() {
        return bouncerUrl != null ? bouncerUrl + "?user=" + PgCluster.USER : jdbcUrl;
    }

    /** Whether applications reach this database through PgBouncer in transaction mode. */
    public boolean throughPgBouncer() {
        return bouncerUrl != null;
    }

    static TestDatabase of(String jdbcUrl, String user, String password, String source) {
        return new TestDatabase(jdbcUrl, user, password, source);
    }

    private void requireAnswer() {
        try {
            connect().close();
        } catch (SQLException e) {
            throw new IllegalStateException("DB_TEST_URL=" + jdbcUrl + " does not answer: " + e.getMessage(), e);
        }
    }

    /** The JDBC URL (no schema chosen). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user, or {@code null} when the URL carries it. */
    public String user() {
        return user;
    }

    /** The password, or {@code null}. */
    public String password() {
        return password;
    }

    /**
     * Hands the user to {@code user} and the password to {@code password}, each only where this database
     * has one (otherwise the URL or the driver's defaults carry it): how every client a test configures
     * gets its credentials.
     */
    public void credentials(Consumer<String> user, Consumer<String> password) {
        if (this.user != null) {
            user.accept(this.user);
        }
        if (this.password != null) {
            password.accept(this.password);
        }
    }

    /** A new plain JDBC connection (not pooled), for setup and for checks behind the library's back. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        credentials(value -> props.setProperty("user", value), value -> props.setProperty("password", value));
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /**
     * The server's own count of the backends in {@code pg_stat_activity} with this {@code application_name}:
     * a pool's connections, read behind the application's back.
     */
    public long backends(String applicationName) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Polls {@link #backends} until none is left or {@code within} passed (a backend exits a moment after its
     * client closed the socket); returns the last count.
     */
    public long awaitNoBackends(String applicationName, Duration within) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long n = backends(applicationName);
        while (n > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = backends(applicationName);
        }
        return n;
    }

    /**
     * Creates a fresh schema for one test class; close it to drop it (with everything in it).
     *
     * @param prefix a short name of the test class, lower case
     */
    public TestSchema createSchema(String prefix) {
        String name = ("t_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
            if (bouncerUrl != null) {
                s.execute("CREATE ROLE " + name + " SUPERUSER LOGIN");
                s.execute("ALTER ROLE " + name + " SET search_path = " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test schema " + name + ": " + e.getMessage(), e);
        }
        return new TestSchema(this, name);
    }

    /** The JDBC URL with {@code currentSchema} set, so unqualified names land in {@code schema}. */
    public String jdbcUrlWithSchema(String schema) {
        if (bouncerUrl != null) {
            return bouncerUrl + "?user=" + schema;
        }
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public String toString() {
        return source + " " + jdbcUrl + (user == null ? "" : " as " + user);
    }
}
