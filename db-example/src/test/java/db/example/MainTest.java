package db.example;

import static org.assertj.core.api.Assertions.assertThat;

import db.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the example's {@code main} logic in-process against the test database, with the real
 * providers (c3p0, the PostgreSQL error mapper, OpenTelemetry with the logging exporter) found by
 * {@link java.util.ServiceLoader}, and checks what it prints.
 */
class MainTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void tourRunsAgainstTheTestDatabase() throws SQLException {
        TestDatabase db = TestDatabase.get();
        Map<String, String> env = new HashMap<>();
        env.put("DB_URL", db.jdbcUrl());
        if (db.user() != null) {
            env.put("DB_USER", db.user());
        }
        if (db.password() != null) {
            env.put("DB_PASSWORD", db.password());
        }
        env.put("DB_POOL_NAME", "example-test");
        // OpenTelemetry reads its otel.* settings from this JVM's system properties (see the pom).
        int code = Main.run(new String[0], out, err, env, new Properties());

        String output = out();
        System.out.print(output); // the tour in the build log, for whoever reads a failure
        assertThat(code).as("exit code; stderr: %s; stdout: %s", err(), output).isZero();
        assertThat(err()).isEmpty();
        assertThat(output)
                .contains("session provider: c3p0")
                .contains("error mappers:    postgres")
                .contains("instrumenters:    opentelemetry")
                .contains("connected to PostgreSQL")
                .contains("inserted 2 rows; committed, accounts now: 2")
                .contains("caught DuplicateKeyException: sqlState=23505 constraint=account_email_key table=account")
                .contains("rolled back, the first insert too; accounts now: 2")
                .contains("counted 2 accounts")
                .contains("pool example-test: total=")
                .contains("health: healthy")
                .contains("Done.");
        // Row values stay out of exception messages by default.
        assertThat(output).doesNotContain("(email)=(ada@example.org)");
        // At least one span of the tour came through the OpenTelemetry SDK's logging exporter.
        assertThat(output.lines().filter(line -> line.startsWith(SpanPrinter.PREFIX)))
                .anySatisfy(line -> assertThat(line).containsIgnoringCase("insert"))
                .allSatisfy(line -> assertThat(line).doesNotContain("ada@example.org"));

        Matcher dropped = Pattern.compile("dropped schema (switchboard_example_[0-9a-f]+)").matcher(output);
        assertThat(dropped.find()).as("schema dropped message in: %s", output).isTrue();
        assertThat(schemaExists(db, dropped.group(1))).isFalse();
    }

    @Test
    void unreachableDatabaseIsOneLineOnStderrAndExitCode2() throws IOException {
        int port = closedPort();
        String password = "do-not-print-" + port;
        Map<String, String> env = Map.of(
                "DB_URL", "jdbc:postgresql://127.0.0.1:" + port + "/inventory",
                "DB_USER", "shop",
                "DB_PASSWORD", password,
                "DB_CONNECT_TIMEOUT", "2s");

        int code = Main.run(new String[0], out, err, env, new Properties());

        String error = err();
        assertThat(code).as("stderr: %s", error).isEqualTo(Main.EXIT_UNREACHABLE);
        assertThat(error.lines()).hasSize(1);
        assertThat(error)
                .startsWith("db-example: cannot connect to PostgreSQL at host=127.0.0.1 port=" + port
                        + " database=inventory user=shop: ")
                .doesNotContain(password)
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(out()).doesNotContain(password);
    }

    @Test
    void helpListsOptionsAndEnvironmentVariables() {
        int code = Main.run(new String[] {"--help"}, out, err, Map.of(), new Properties());

        assertThat(code).isZero();
        assertThat(out()).contains("--help").contains("DB_URL").contains("DB_USER").contains("DB_PASSWORD")
                .contains(Main.DEFAULT_URL).contains("DB_POOL_INIT_SQL").contains("DB_POOL_MAX_WAITING")
                .contains("resize(min, max)").contains("passwordSupplier");
        assertThat(err()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageError() {
        int code = Main.run(new String[] {"--frobnicate"}, out, err, Map.of(), new Properties());

        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err()).contains("--frobnicate").contains("--help");
    }

    @Test
    void defaultsToTheLocalServerWhenNoUrlIsSet() {
        assertThat(Main.config(Map.of(), new Properties()).target().toString())
                .isEqualTo("postgres@127.0.0.1:5432/postgres");
        Properties system = new Properties();
        system.setProperty("db.url", "jdbc:postgresql://db.internal:6543/app");
        assertThat(Main.config(Map.of("DB_USER", "app"), system).target().toString())
                .isEqualTo("app@db.internal:6543/app");
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    /** A port nothing listens on: bound by the OS, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean schemaExists(TestDatabase db, String schema) throws SQLException {
        try (Connection connection = db.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "select 1 from information_schema.schemata where schema_name = ?")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
