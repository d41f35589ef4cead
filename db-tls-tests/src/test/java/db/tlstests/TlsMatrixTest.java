package db.tlstests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import db.api.AuthenticationException;
import db.api.ConfigException;
import db.api.ConnectionRejectedException;
import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.Session;
import db.testkit.PgCluster;
import db.testkit.TlsFiles;
import db.tlstests.TlsCase.Home;
import db.tlstests.TlsCase.Outcome;
import db.tlstests.TlsCase.Url;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 21's table and working cases ({@link TlsCases}) against two throwaway TLS clusters (one presenting
 * the certificate for localhost/127.0.0.1, one a certificate for a wrong name; same CA), each case in the
 * three URL forms and through both pools. For each: the outcome (connects on TLS as the expected role, or
 * which exception), {@code isRetryable()}, that a failure arrives within {@link #FAST} both at
 * {@code Database.open} (fail-fast) and at each checkout (fail-fast off: never waited out as an outage),
 * and that no secret (the SCRAM password, the key password) appears in any message or {@code toString()}
 * of the exception chain, the configuration, the database, or the log captured at DEBUG. A row-by-row
 * summary is printed and written to {@code target/tls-matrix.md}.
 */
class TlsMatrixTest {

    /** A permanent failure is known at once on loopback; an outage would wait for the checkout timeout. */
    private static final Duration FAST = Duration.ofSeconds(1);
    private static final Duration CHECKOUT_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> POOLS = List.of("c3p0", "hikari");

    /** The three URL forms Switchboard accepts; ENV stands for "no db.url". */
    enum Form {
        JDBC, URI, DSN, ENV
    }

    private static TlsFiles files;
    private static PgCluster right;
    private static PgCluster wrongName;
    private static Path work;
    private static final Map<Home, Path> HOMES = new EnumMap<>(Home.class);
    private static final Map<String, Map<String, String>> RESULTS = new ConcurrentHashMap<>();
    /** How long each failure took to arrive, for the summary's slowest few. */
    private static final java.util.Queue<String> SLOWEST = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The first failure message of each failing case, for the summary (what the user reads). */
    private static final Map<String, String> MESSAGES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        files = TlsFiles.generate();
        right = PgCluster.builder().tls(files, TlsFiles.ServerName.LOCALHOST).setting("max_connections", "40").start();
        wrongName = PgCluster.builder().tls(files, TlsFiles.ServerName.WRONG_NAME).setting("max_connections", "40")
                .start();
        work = Files.createTempDirectory("switchboard-tls-suite-");
        // Private like a key, so that the only thing wrong with it is what it holds.
        copy(files.clientCertificate(), work.resolve("not-a-key.key"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", work.resolve("openssh.key").toString());
        makeHomes();
        // libpq's service file: one section for the right cluster, one that verifies it against the wrong CA.
        Files.writeString(work.resolve("pg_service.conf"), "# Switchboard TLS suite\n"
                + "[right]\nhost=localhost\nport=" + right.port() + "\ndbname=test\nuser=scramuser\n"
                + "sslmode=verify-full\nsslrootcert=" + files.caCertificate() + "\n\n"
                + "[wrongca]\nhost=localhost\nport=" + right.port() + "\nuser=scramuser\n"
                + "sslmode=verify-full\nsslrootcert=" + files.wrongCaCertificate() + "\n");
        // Class loading and the first handshakes are not what the one-second bound is about.
        for (String pool : POOLS) {
            TlsCase warm = TlsCases.all().get(2);
            try (Database db = Database.open(DbConfig.fromEnvironment(environment(warm, Form.URI, pool, true),
                    properties(warm)))) {
                try (Session s = db.openSession()) {
                    s.querySingle("SELECT 1", r -> r.getInt(1));
                }
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            writeSummary();
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {wrongName, right, files}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    System.err.println("[tls-suite] could not close " + c + ": " + e);
                }
            }
            if (work != null) {
                delete(work);
            }
        }
    }

    /**
     * The secret check on the log is only worth something if the capture sees what each library logs at
     * DEBUG: Switchboard (Log4j2), c3p0 (MLog to Log4j2), HikariCP (SLF4J to Log4j2) and pgjdbc (JUL).
     */
    @Test
    void theLogCaptureSeesEveryLibrarysDebugOutput() {
        TlsCase c = TlsCases.all().get(2);
        String previousHome = System.getProperty("user.home");
        System.setProperty("user.home", HOMES.get(c.home()).toString());
        try (LogCapture log = LogCapture.start()) {
            for (String pool : POOLS) {
                try (Database db = Database.open(DbConfig.fromEnvironment(environment(c, Form.DSN, pool, true),
                        properties(c))); Session s = db.openSession()) {
                    s.querySingle("SELECT 1", r -> r.getInt(1));
                }
            }
            org.apache.logging.log4j.LogManager.getLogger(TlsMatrixTest.class).debug("capture-check {}", "log4j");
            assertThat(log.text())
                    .contains("DEBUG " + TlsMatrixTest.class.getName() + " capture-check log4j")
                    .containsPattern("(?m)^DEBUG db\\.")
                    .containsPattern("(?m)^DEBUG com\\.mchange\\.")
                    .containsPattern("(?m)^DEBUG com\\.zaxxer\\.hikari\\.")
                    .containsPattern("(?m)^JUL FINE org\\.postgresql\\.");
        } finally {
            System.setProperty("user.home", previousHome);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (TlsCase c : TlsCases.all()) {
            List<Form> forms = c.url() == Url.NONE ? List.of(Form.ENV) : List.of(Form.JDBC, Form.URI, Form.DSN);
            for (String pool : POOLS) {
                for (Form form : forms) {
                    all.add(Arguments.of(pool, form, c));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "[{0}] [{1}] {2}")
    @MethodSource("cases")
    void behavesAsLibpq(String pool, Form form, TlsCase c) {
        String column = pool + "/" + form.name().toLowerCase(Locale.ROOT);
        String previousHome = System.getProperty("user.home");
        System.setProperty("user.home", HOMES.get(c.home()).toString());
        try (LogCapture log = LogCapture.start()) {
            try {
                if (c.outcome() == Outcome.TLS) {
                    connects(c, form, pool);
                } else {
                    fails(c, form, pool);
                }
                String logged = log.text();
                assertNoSecret("the log captured at DEBUG", logged);
                for (String mention : c.logMentions()) {
                    assertThat(logged).as("the log should warn as libpq does").contains(mention);
                }
            } catch (AssertionError | RuntimeException e) {
                RESULTS.computeIfAbsent(c.id(), k -> new ConcurrentHashMap<>()).put(column, "FAIL: " + firstLine(e));
                throw e;
            }
            RESULTS.computeIfAbsent(c.id(), k -> new ConcurrentHashMap<>()).put(column, "pass");
        } finally {
            System.setProperty("user.home", previousHome);
        }
    }

    private static void connects(TlsCase c, Form form, String pool) {
        DbConfig config;
        Database db;
        try {
            config = DbConfig.fromEnvironment(environment(c, form, pool, true), properties(c));
            db = Database.open(config);
        } catch (RuntimeException e) {
            throw new AssertionError("expected to connect on TLS, but: " + chain(e), e);
        }
        try (db) {
            assertNoSecret("DbConfig.toString()", config.toString());
            assertNoSecret("Database.toString()", db.toString());
            try (Session s = db.openSession()) {
                List<Object> row = s.querySingle("SELECT s.ssl, current_user FROM pg_stat_ssl s "
                        + "WHERE s.pid = pg_backend_pid()", r -> List.of(r.getBoolean(1), r.getString(2)));
                assertThat(row.get(0)).as("the session is on TLS").isEqualTo(true);
                assertThat(row.get(1)).as("current_user").isEqualTo(c.user());
            }
        }
    }

    private static void fails(TlsCase c, Form form, String pool) {
        // 1. fail-fast open: the first connection fails, at once.
        long t0 = System.nanoTime();
        RuntimeException atOpen = null;
        DbConfig config = null;
        try {
            config = DbConfig.fromEnvironment(environment(c, form, pool, true), properties(c));
            assertNoSecret("DbConfig.toString()", config.toString());
            Database db = Database.open(config);
            db.close();
        } catch (RuntimeException e) {
            atOpen = e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (atOpen == null) {
            fail("expected " + c.outcome() + " but it connected (through " + pool + ", " + form + ")");
        }
        MESSAGES.putIfAbsent(c.id(), atOpen.getClass().getSimpleName() + ": " + firstLine(atOpen));
        checkFailure(pool + " Database.open (fail-fast)", c, atOpen, took);
        if (atOpen instanceof ConfigException) {
            return; // the configuration itself is refused: there is no pool to check out from
        }
        // 2. fail-fast off: open succeeds, and each checkout fails at once (not waited out as an outage).
        DbConfig lazy = DbConfig.fromEnvironment(environment(c, form, pool, false), properties(c));
        Database db;
        try {
            db = Database.open(lazy);
        } catch (RuntimeException e) {
            throw new AssertionError("with db.pool.fail-fast=false, open must not connect, but: " + chain(e), e);
        }
        try (db) {
            assertNoSecret("Database.toString()", db.toString());
            for (int attempt = 1; attempt <= 2; attempt++) {
                long t1 = System.nanoTime();
                RuntimeException atCheckout = null;
                try (Session s = db.openSession()) {
                    s.querySingle("SELECT 1", r -> r.getInt(1));
                } catch (RuntimeException e) {
                    atCheckout = e;
                }
                Duration checkout = Duration.ofNanos(System.nanoTime() - t1);
                if (atCheckout == null) {
                    fail("checkout " + attempt + " connected, but open had failed with " + chain(atOpen));
                }
                checkFailure(pool + " checkout " + attempt, c, atCheckout, checkout);
            }
        }
    }

    private static void checkFailure(String where, TlsCase c, RuntimeException e, Duration took) {
        String what = where + " failed with " + chain(e);
        boolean typeOk = switch (c.outcome()) {
            case REJECTED -> e instanceof ConnectionRejectedException;
            case CONFIG -> e instanceof ConfigException;
            case PERMANENT -> e instanceof ConnectionRejectedException || e instanceof ConfigException;
            case REFUSED -> e instanceof ConnectionRejectedException || e instanceof AuthenticationException;
            case TLS -> false;
        };
        assertThat(typeOk).as("%s; expected %s", what, c.outcome()).isTrue();
        assertThat(((DataAccessException) e).isRetryable()).as("isRetryable() of: %s", what).isFalse();
        SLOWEST.add(took.toMillis() + " ms: " + c.id() + " " + where);
        assertThat(took).as("%d ms until: %s", took.toMillis(), what).isLessThan(FAST);
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        for (String mention : c.mentions()) {
            assertThat(message).as("the message should say what to fix: %s", what)
                    .contains(mention.toLowerCase(Locale.ROOT));
        }
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            assertNoSecret("the exception chain's " + t.getClass().getName(), t.toString());
            for (Throwable s : t.getSuppressed()) {
                assertNoSecret("a suppressed " + s.getClass().getName(), s.toString());
            }
        }
    }

    // ---------------------------------------------------------------- what the user writes

    /** The environment a case runs in: DB_* keys of the suite, the URL in {@code form}, and the case's PG*. */
    private static Map<String, String> environment(TlsCase c, Form form, String pool, boolean failFast) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", HOMES.get(c.home()).toString());
        if (form != Form.ENV) {
            env.put("DB_URL", url(c, form));
        }
        env.put("DB_SESSION_PROVIDER", pool);
        env.put("DB_POOL_NAME", "tls-" + c.id().toLowerCase(Locale.ROOT) + "-" + pool);
        env.put("DB_POOL_MIN_SIZE", "1");
        env.put("DB_POOL_MAX_SIZE", "2");
        env.put("DB_POOL_FAIL_FAST", Boolean.toString(failFast));
        env.put("DB_POOL_CHECKOUT_TIMEOUT", CHECKOUT_TIMEOUT.toSeconds() + "s");
        env.put("DB_CONNECT_TIMEOUT", "5s");
        c.environment().forEach((k, v) -> env.put(k, resolve(v, c)));
        return env;
    }

    private static Properties properties(TlsCase c) {
        Properties p = new Properties();
        p.setProperty("user.home", HOMES.get(c.home()).toString());
        return p;
    }

    static String url(TlsCase c, Form form) {
        Map<String, String> params = new LinkedHashMap<>();
        c.parameters().forEach((k, v) -> params.put(k, resolve(v, c)));
        boolean full = c.url() == Url.FULL;
        String password = c.password() == null ? null : resolve(c.password(), c);
        int port = port(c);
        switch (form) {
            case JDBC -> {
                Map<String, String> query = new LinkedHashMap<>();
                if (full) {
                    query.put("user", c.user());
                    if (password != null) {
                        query.put("password", password);
                    }
                }
                query.putAll(params);
                return (full ? "jdbc:postgresql://" + c.host() + ":" + port + "/test" : "jdbc:postgresql:///test")
                        + query(query);
            }
            case URI -> {
                String authority = full
                        ? encode(c.user()) + (password == null ? "" : ":" + encode(password)) + "@" + c.host() + ":" + port
                        : "";
                return "postgresql://" + authority + "/test" + query(params);
            }
            case DSN -> {
                StringBuilder dsn = new StringBuilder();
                if (full) {
                    dsn.append("host=").append(c.host()).append(" port=").append(port).append(" user=").append(c.user());
                    if (password != null) {
                        dsn.append(" password=").append(quote(password));
                    }
                    dsn.append(' ');
                }
                dsn.append("dbname=test");
                params.forEach((k, v) -> dsn.append(' ').append(k).append('=').append(quote(v)));
                return dsn.toString();
            }
            default -> throw new IllegalArgumentException("no URL in form " + form);
        }
    }

    private static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? '?' : '&').append(k).append('=').append(encode(v)));
        return q.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static int port(TlsCase c) {
        return c.server() == TlsCase.Server.RIGHT ? right.port() : wrongName.port();
    }

    private static String resolve(String value, TlsCase c) {
        String v = value
                .replace("{ca}", files.caCertificate().toString())
                .replace("{wrongCa}", files.wrongCaCertificate().toString())
                .replace("{missing}", work.resolve("no-such-file.crt").toString())
                .replace("{clientCert}", files.clientCertificate().toString())
                .replace("{emptyCrl}", files.emptyCrl().toString())
                .replace("{serviceFile}", work.resolve("pg_service.conf").toString())
                .replace("{revokedCrl}", files.serverRevokedCrl().toString())
                .replace("{notAKey}", work.resolve("not-a-key.key").toString())
                .replace("{opensshKey}", work.resolve("openssh.key").toString())
                .replace("{port}", Integer.toString(port(c)))
                .replace("{scramPassword}", files.scramPassword())
                .replace("{wrongKeyPassword}", "wrong-" + files.keyPassword())
                .replace("{keyPassword}", files.keyPassword());
        for (TlsFiles.KeyFormat format : TlsFiles.KeyFormat.values()) {
            v = v.replace("{key:" + format.name() + "}", files.clientKey(format).toString());
        }
        if (v.contains("{")) {
            throw new IllegalArgumentException("unknown placeholder in " + value);
        }
        return v;
    }

    // ---------------------------------------------------------------- checks and set-up

    private static void assertNoSecret(String where, String text) {
        for (String secret : List.of(files.scramPassword(), files.keyPassword())) {
            if (text != null && text.contains(secret)) {
                int at = text.indexOf(secret);
                String around = text.substring(Math.max(0, at - 160), at).replace(secret, "<SECRET>");
                fail("a secret appears in " + where + ", after: ..." + around + "<SECRET>");
            }
        }
    }

    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            sb.append(sb.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t instanceof DataAccessException d) {
                sb.append("(retryable=").append(d.isRetryable()).append(", sqlState=").append(d.sqlState()).append(')');
            }
            sb.append(": ").append(t.getMessage());
        }
        String s = sb.toString();
        // The report must not leak what the check is looking for.
        return s.replace(files.scramPassword(), "<SECRET>").replace(files.keyPassword(), "<SECRET>");
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).replace(files.scramPassword(), "<SECRET>")
                .replace(files.keyPassword(), "<SECRET>").strip();
        int nl = m.indexOf('\n');
        String line = nl < 0 ? m : m.substring(0, nl);
        return line.length() > 600 ? line.substring(0, 600) + "..." : line;
    }

    private static void makeHomes() throws IOException {
        for (Home home : Home.values()) {
            Path dir = Files.createDirectory(work.resolve("home-" + home.name().toLowerCase(Locale.ROOT)));
            HOMES.put(home, dir);
            Path pg = dir.resolve(".postgresql");
            switch (home) {
                case EMPTY -> {
                }
                case ROOT_CRT -> copy(files.caCertificate(), pg.resolve("root.crt"));
                case ROOT_CRT_WRONG_CA -> copy(files.wrongCaCertificate(), pg.resolve("root.crt"));
                case ROOT_CRT_REVOKED -> {
                    copy(files.caCertificate(), pg.resolve("root.crt"));
                    copy(files.serverRevokedCrl(), pg.resolve("root.crl"));
                }
                case CLIENT_FILES_PKCS8, CLIENT_FILES_PKCS1 -> {
                    copy(files.caCertificate(), pg.resolve("root.crt"));
                    copy(files.clientCertificate(), pg.resolve("postgresql.crt"));
                    copy(files.clientKey(home == Home.CLIENT_FILES_PKCS8 ? TlsFiles.KeyFormat.PKCS8_PEM
                            : TlsFiles.KeyFormat.PKCS1_PEM), pg.resolve("postgresql.key"));
                }
                case PGPASS, PGPASS_READABLE -> {
                    Path pgpass = dir.resolve(".pgpass");
                    // A comment, a non-matching line, then wildcards for the database: libpq's format.
                    Files.writeString(pgpass, "# test\notherhost:5432:*:scramuser:not-this-one\n"
                            + "localhost:" + right.port() + ":*:scramuser:" + files.scramPassword() + "\n");
                    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString(
                            home == Home.PGPASS ? "rw-------" : "rw-r--r--"));
                }
                default -> throw new IllegalStateException("no set-up for " + home);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
        // libpq refuses a private key others can read; the other files do not matter, but stay private too.
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
    }

    private static void run(String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " could not run (" + e.getMessage() + "): the suite makes "
                    + "an OpenSSH-format key with it (Debian: apt-get install openssh-client)", e);
        }
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One line per case, one column per pool and form: the answer to "which rows pass". */
    private static void writeSummary() throws IOException {
        List<String> columns = new ArrayList<>();
        for (String pool : POOLS) {
            for (Form form : Form.values()) {
                columns.add(pool + "/" + form.name().toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder md = new StringBuilder("| case | ").append(String.join(" | ", columns)).append(" |\n|---|");
        columns.forEach(col -> md.append("---|"));
        md.append('\n');
        StringBuilder failures = new StringBuilder();
        for (TlsCase c : TlsCases.all()) {
            Map<String, String> r = RESULTS.getOrDefault(c.id(), Map.of());
            md.append("| ").append(c.id()).append(' ').append(c.description().replace("|", "/")).append(" (")
                    .append(c.outcome()).append(") |");
            for (String col : columns) {
                String v = r.get(col);
                md.append(' ').append(v == null ? "" : v.startsWith("pass") ? "pass" : "**FAIL**").append(" |");
                if (v != null && !v.startsWith("pass")) {
                    failures.append("- ").append(c.id()).append(' ').append(col).append(": ")
                            .append(v.substring("FAIL: ".length()).replace("\n", " ")).append('\n');
                }
            }
            md.append('\n');
        }
        StringBuilder messages = new StringBuilder();
        for (TlsCase c : TlsCases.all()) {
            String m = MESSAGES.get(c.id());
            if (m != null) {
                messages.append("- ").append(c.id()).append(": ").append(m).append('\n');
            }
        }
        List<String> byTime = SLOWEST.stream()
                .sorted(Comparator.comparingLong((String line) -> Long.parseLong(line.substring(0, line.indexOf(' '))))
                        .reversed())
                .toList();
        if (!byTime.isEmpty()) {
            md.append("\n").append(byTime.size()).append(" failures timed (bound ").append(FAST.toMillis())
                    .append(" ms): median ").append(byTime.get(byTime.size() / 2).split(":", -1)[0])
                    .append(", 90th percentile ").append(byTime.get(byTime.size() / 10).split(":", -1)[0])
                    .append("; slowest: ").append(String.join("; ", byTime.subList(0, Math.min(5, byTime.size()))))
                    .append('\n');
        }
        String text = "# TLS suite (" + System.getProperty("java.version") + ")\n\n" + md
                + (failures.length() == 0 ? "" : "\n## Failures\n\n" + failures)
                + (messages.length() == 0 ? "" : "\n## What a failing case says (first pool and form)\n\n" + messages);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("tls-matrix.md"), text);
            Files.write(target.resolve("tls-failure-times.txt"), byTime);
        }
        System.out.println(text);
    }
}
