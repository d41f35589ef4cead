package db.loggingtests;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.DbConfig;
import db.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an application sees of Switchboard's logging under one backend: with each pool, {@code Database.open}
 * works and a query runs; the backend's own log file (written by the application's configuration in
 * {@code src/test/resources}, whose layout starts every line with the backend's name) holds Switchboard's
 * startup line naming the providers, the pool's own lines (c3p0's start through its MLog, HikariCP's
 * DEBUG lines through SLF4J) and c3p0's choice of MLog backend; and nothing reached the console: no report of several or
 * missing SLF4J providers, no Log4j status message (a missing provider, a fallback to SimpleLogger, a bad
 * configuration), no c3p0 or Switchboard line that a fallback logger printed instead of the backend.
 */
abstract class LoggingBackendTest {
    /** Installed when the first test class initializes, before anything in this JVM has logged. */
    private static final ConsoleCapture CONSOLE = ConsoleCapture.install();

    /** Lines on the console that mean logging went wrong, whatever the backend prints them with. */
    private static final Pattern CONSOLE_COMPLAINT = Pattern.compile(
            "SLF4J|StatusLogger|SimpleLogger|Log4j|log4j|MLog|mchange|c3p0|[Hh]ikari|Switchboard|\\|-(WARN|ERROR)");

    /** The first word of every line the backend's configured layout writes. */
    abstract String backend();

    /** The Log4j API's {@code LoggerContextFactory} this class path must bind to. */
    abstract String log4jApiBinding();

    /** The line c3p0's MLog logs when it has chosen this backend. */
    abstract String mlogChoice();

    /** Where the application's configuration writes the log (relative to the module, the tests' directory). */
    final Path logFile() {
        return Path.of("target", "backend-" + backend() + ".log");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c3p0", "hikari"})
    final void opensQueriesAndLogsThroughTheBackend(String provider) throws IOException {
        String pool = "logging-" + backend() + "-" + provider;

        try (Database db = Database.open(config(provider, pool))) {
            assertThat(db.providers().toString()).contains(provider);
            try (var session = db.openSession()) {
                assertThat(session.queryOne("select 40 + ?", rs -> rs.getInt(1), 2)).contains(42);
            }
        }

        // First what went wrong on the console (a missing or second provider explains a missing line below)
        assertThat(CONSOLE.text().lines().filter(l -> CONSOLE_COMPLAINT.matcher(l).find()))
                .as("console output about logging (everything should have gone to " + logFile() + ")")
                .isEmpty();
        assertThat(LogManager.getFactory().getClass().getName())
                .as("the class path of this run binds the Log4j API to its backend")
                .isEqualTo(log4jApiBinding());

        List<String> log = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
        String info = backend() + " INFO ";
        assertThat(log).as("Switchboard's startup line, through the Log4j API to " + backend())
                .anyMatch(l -> l.startsWith(info + "db.core.engine.Core - Switchboard opened pool '" + pool + "'")
                        && l.contains("with session provider " + provider));
        if (provider.equals("c3p0")) {
            assertThat(log).as("c3p0's MLog chose " + backend())
                    .anyMatch(l -> l.startsWith(info + "com.mchange.v2.log.MLog - " + mlogChoice()));
            assertThat(log).as("c3p0's own start line, through its MLog to " + backend())
                    .anyMatch(l -> l.startsWith(info + "com.mchange.v2.c3p0.")
                            && l.contains("Initializing c3p0 pool") && l.contains(pool));
        } else {
            // at DEBUG (FINE under java.util.logging): HikariCP says nothing at INFO when its pool starts
            Pattern hikariLine = Pattern.compile("^" + Pattern.quote(backend()) + " (DEBUG|FINE) com\\.zaxxer\\.hikari\\."
                    + "\\S+ - " + Pattern.quote(pool) + " - ");
            assertThat(log).as("HikariCP's own lines about the pool, through SLF4J to " + backend())
                    .anyMatch(l -> hikariLine.matcher(l).find());
        }
    }

    private static DbConfig config(String provider, String pool) {
        TestDatabase db = TestDatabase.get();
        DbConfig.Builder b = DbConfig.builder().url(db.jdbcUrl()).sessionProvider(provider).poolName(pool)
                .applicationName(pool).minSize(1).maxSize(2);
        if (db.user() != null) {
            b.user(db.user());
        }
        if (db.password() != null) {
            b.password(db.password());
        }
        return b.build();
    }
}
