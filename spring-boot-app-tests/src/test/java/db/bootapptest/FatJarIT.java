package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import db.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The repackaged fat jar ({@code spring-boot-maven-plugin}) started with {@code java -jar} as a deployment
 * would: Boot's nested-jar class path holds Boot's managed versions, the application starts on c3p0 with
 * tracing on the OpenTelemetry API 1.55.0 (no SDK, so through {@code GlobalOpenTelemetry}), reaches the
 * database, and on SIGTERM Boot's shutdown hook closes the pool. Runs after {@code package} (failsafe).
 */
final class FatJarIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void theFatJarHoldsBootsManagedVersions() throws IOException {
        List<String> libs = libraries();
        assertThat(libs).contains("opentelemetry-api-1.55.0.jar", "log4j-api-2.25.4.jar", "postgresql-42.7.11.jar",
                "HikariCP-7.0.2.jar", "logback-classic-" + logbackVersion(libs) + ".jar", "log4j-to-slf4j-2.25.4.jar",
                "db-api-0.1.0-SNAPSHOT.jar", "db-pool-c3p0-0.1.0-SNAPSHOT.jar", "db-pool-hikari-0.1.0-SNAPSHOT.jar",
                "db-errors-postgres-0.1.0-SNAPSHOT.jar", "db-tracing-otel-0.1.0-SNAPSHOT.jar");
        // one version of each, and no second logging backend or binding
        assertThat(libs).filteredOn(l -> l.startsWith("opentelemetry-api-")).hasSize(1);
        assertThat(libs).filteredOn(l -> l.startsWith("log4j-api-")).hasSize(1);
        assertThat(libs).filteredOn(l -> l.startsWith("postgresql-")).hasSize(1);
        assertThat(libs).noneMatch(l -> l.startsWith("log4j-core-") || l.startsWith("log4j-slf4j") || l.startsWith("slf4j-simple"));
        // test-only jars stay out of the application
        assertThat(libs).noneMatch(l -> l.startsWith("db-testkit-") || l.startsWith("opentelemetry-sdk"));
    }

    @Test
    void javaDashJarStartsTheApplicationAndSigtermClosesThePool() throws Exception {
        Map<String, String> properties = TestProperties.of(null, "c3p0", "bootjar");
        String pool = properties.get("db.pool.name");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        Collections.addAll(command, TestProperties.asArguments(properties));
        // A service without a web server: keep the JVM up until it is told to stop, as a deployment would.
        command.add("--spring.main.keep-alive=true");
        Path log = jar().resolveSibling("fatjar-" + pool + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            String ready = "Switchboard Boot application ready: PostgreSQL";
            awaitOutput(process, log, ready, START_TIMEOUT);
            String started = read(log);
            assertThat(started).containsPattern(" INFO \\d+ --- \\[switchboard-boot-app\\] .*db\\.core\\.engine\\.Core +: "
                    + "Switchboard opened pool '" + pool + "' .*with session provider c3p0 .*instrumenters \\[opentelemetry\\]");
            assertThat(started).contains("through pool '" + pool + "' (c3p0)");
            assertThat(TestDatabase.get().backends(pool)).as("backends while the fat jar runs").isPositive();

            process.destroy(); // SIGTERM: Boot's shutdown hook closes the context
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("the fat jar did not stop within " + STOP_TIMEOUT + " of SIGTERM:\n" + read(log));
            }
        } finally {
            process.destroyForcibly();
        }
        String all = read(log);
        assertThat(process.exitValue()).as("exit status after SIGTERM\n%s", all).isIn(0, 143);
        assertThat(all).contains("Switchboard closed pool '" + pool + "'");
        assertThat(all).doesNotContain(LoggingTest.NEVER);
        assertThat(TestDatabase.get().awaitNoBackends(pool, Duration.ofSeconds(10))).as("backends after the fat jar stopped").isZero();
    }

    private static Path jar() {
        String jar = System.getProperty("app.jar");
        assertThat(jar).as("system property app.jar (set by the POM)").isNotBlank();
        Path path = Path.of(jar);
        assertThat(path).exists();
        return path;
    }

    private static List<String> libraries() throws IOException {
        List<String> libs = new ArrayList<>();
        try (JarFile file = new JarFile(jar().toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
                    libs.add(entry.getName().substring("BOOT-INF/lib/".length()));
                }
            }
        }
        return libs;
    }

    private static String logbackVersion(List<String> libs) {
        return libs.stream().filter(l -> l.startsWith("logback-classic-")).findFirst()
                .map(l -> l.substring("logback-classic-".length(), l.length() - ".jar".length())).orElse("(missing)");
    }

    private static void awaitOutput(Process process, Path log, String text, Duration within)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (read(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                fail("the fat jar exited (" + process.exitValue() + ") before logging '" + text + "':\n" + read(log));
            }
            Thread.sleep(100);
        }
        fail("the fat jar did not log '" + text + "' within " + within + ":\n" + read(log));
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
