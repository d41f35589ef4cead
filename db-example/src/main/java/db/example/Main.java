package db.example;

import db.api.AuthenticationException;
import db.api.ConfigException;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.Db;
import db.api.DbConfig;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The example's entry point: reads the configuration from the environment, opens the process-wide
 * {@link Db}, runs the {@link Tour} and closes it.
 *
 * <p>Exit codes: 0 when the tour ran, 1 when it failed, 2 when the database cannot be reached or
 * refuses the login, 64 for an unknown option.
 */
public final class Main {

    /** The tour ran. */
    static final int EXIT_OK = 0;
    /** Something else failed: the configuration or a statement. */
    static final int EXIT_FAILED = 1;
    /** The database did not answer or refused the login. */
    static final int EXIT_UNREACHABLE = 2;
    /** An unknown command-line option (EX_USAGE). */
    static final int EXIT_USAGE = 64;

    /** Where the example connects when neither {@code DB_URL} nor {@code db.url} is set. */
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    /** The role used with {@link #DEFAULT_URL} when neither {@code DB_USER} nor {@code db.user} is set. */
    static final String DEFAULT_USER = "postgres";

    private static final String USAGE = String.join(System.lineSeparator(),
            "Usage: db-example [--help]",
            "",
            "A short tour of Switchboard against PostgreSQL: the providers found on the module path,",
            "a session, a transaction that commits, one that fails on a duplicate key and rolls back,",
            "pool statistics, and the spans of the tour when the tracing module is present.",
            "Everything it creates lives in a temporary schema that it drops.",
            "",
            "Options:",
            "  -h, --help          print this help and exit",
            "",
            "Environment variables (each also as a system property, which wins: DB_URL = -Ddb.url):",
            "  DB_URL              JDBC URL or libpq URI/DSN (default " + DEFAULT_URL + ")",
            "  DB_USER             role name (default " + DEFAULT_USER + " when DB_URL is not set)",
            "  DB_PASSWORD         password (never printed)",
            "  DB_POOL_MIN_SIZE, DB_POOL_MAX_SIZE, DB_POOL_CHECKOUT_TIMEOUT, DB_CONNECT_TIMEOUT, ...",
            "                      every other Switchboard key; see the README",
            "",
            "Pool controls (psycopg_pool / HikariCP style; keys as environment variables or -D properties):",
            "  DB_POOL_INIT_SQL    SQL run on every new physical connection before it is lent, e.g.",
            "                      \"SET TIME ZONE 'UTC'\": the connection's baseline, restored after each session",
            "  DB_POOL_MAX_WAITING callers allowed to wait for a connection; one more fails at once with",
            "                      PoolExhaustedException (load shedding); 0 = unbounded (default)",
            "  in code: Database.resize(min, max), evictAll(), pause(), resume(),",
            "           DbConfig.builder().passwordSupplier(...) (asked for each new connection),",
            "           DbConfig.builder().extension(ConnectionInitializer.class, ...);",
            "           stats() shows pending, rejected, connect attempts/failures, back-off, paused",
            "",
            "Exit codes: 0 done, 1 failed, 2 database unreachable or login refused, 64 bad option.");

    private Main() {
    }

    /** Runs the tour with the process's environment and system properties, then exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv(), System.getProperties()));
    }

    /**
     * Runs the example and returns the exit code. Separate from {@link #main(String[])} so that a
     * test can run it in-process with its own streams and environment.
     */
    @SuppressWarnings("try") // the span printer is attached for the tour's duration: only its close() matters
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment,
                   Properties systemProperties) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return EXIT_OK;
            }
            err.println("db-example: unknown option '" + arg + "' (try --help)");
            return EXIT_USAGE;
        }

        DbConfig config;
        try {
            config = config(environment, systemProperties);
        } catch (ConfigException e) {
            err.println("db-example: invalid configuration: " + oneLine(e.getMessage()));
            return EXIT_FAILED;
        }

        try (SpanPrinter ignored = SpanPrinter.attach(out)) {
            Db.init(config);
            new Tour(Db.get(), out).run();
            return EXIT_OK;
        } catch (ConnectionException | AuthenticationException e) {
            err.println(unreachable(config, e));
            return EXIT_UNREACHABLE;
        } catch (DataAccessException e) {
            err.println("db-example: failed: " + e.getClass().getSimpleName() + ": "
                    + scrub(oneLine(e.getMessage()), config));
            return EXIT_FAILED;
        } finally {
            Db.close();
        }
    }

    /**
     * The configuration from the environment, with the local server as the default target so that
     * the example runs with no setup next to a default PostgreSQL installation.
     */
    static DbConfig config(Map<String, String> environment, Properties systemProperties) {
        Map<String, String> env = new HashMap<>(environment);
        if (isBlank(env.get("DB_URL")) && isBlank(systemProperties.getProperty("db.url"))) {
            env.put("DB_URL", DEFAULT_URL);
            if (isBlank(env.get("DB_USER")) && isBlank(systemProperties.getProperty("db.user"))) {
                env.put("DB_USER", DEFAULT_USER);
            }
        }
        return DbConfig.fromEnvironment(env, systemProperties);
    }

    /** One line naming the target and the driver's reason; never the password, never a stack trace. */
    static String unreachable(DbConfig config, DataAccessException e) {
        DatabaseTarget target = config.target();
        String verb = e instanceof AuthenticationException ? "login refused by" : "cannot connect to";
        return "db-example: " + verb + " PostgreSQL at host=" + target.host() + " port=" + target.port()
                + " database=" + target.database() + " user=" + (target.user() == null ? "(driver default)" : target.user())
                + ": " + scrub(oneLine(reason(e)), config);
    }

    /** The innermost message: the most specific reason ("Connection refused"). */
    private static String reason(Throwable e) {
        String reason = e.getMessage();
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (!isBlank(t.getMessage())) {
                reason = t.getMessage();
            }
        }
        return reason == null ? e.getClass().getSimpleName() : reason;
    }

    /** Belt and braces: messages are built without the password, but a driver message might echo it. */
    private static String scrub(String message, DbConfig config) {
        Optional<String> password = config.password();
        if (password.isPresent() && !password.get().isEmpty()) {
            return message.replace(password.get(), "****");
        }
        return message;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
