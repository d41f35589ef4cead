package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Boot's default logging (Logback, with {@code log4j-to-slf4j} for the Log4j API): Switchboard's startup line,
 * c3p0's own logging and the application's reach Boot's console in Boot's format, at INFO, with no warning
 * about SLF4J providers and no linkage error.
 */
@ExtendWith(OutputCaptureExtension.class)
final class LoggingTest {

    /** What would show that a library forced a backend that is not there, or brought a second binding. */
    static final List<String> NEVER = List.of("SLF4J(W)", "multiple SLF4J providers", "NoClassDefFoundError",
            "ClassCastException", "NoSuchMethodError",
            // the Log4j API's status messages when it finds no provider (2.x wordings)
            "could not find a logging provider", "could not find a logging implementation");

    @ParameterizedTest
    @ValueSource(strings = {"c3p0", "hikari"})
    void theStartupLineAppearsInBootsLogbackOutput(String provider, CapturedOutput output) {
        Map<String, String> properties = TestProperties.of(null, provider, "bootlog");
        String pool = properties.get("db.pool.name");
        try (ConfigurableApplicationContext context = Applications.start(properties)) {
            assertThat(context.isRunning()).isTrue();
            // Boot's console pattern: level, pid, "---", [application name], [thread], logger, ":", message
            assertThat(output.getOut()).containsPattern(Pattern.compile(
                    " INFO \\d+ --- \\[switchboard-boot-app\\] \\[ *main\\] db\\.core\\.engine\\.Core +: Switchboard opened pool '"
                            + Pattern.quote(pool) + "' for .* with session provider " + provider + "\\b"));
            assertThat(output.getOut()).containsPattern("db\\.bootapp\\.StartupCheck +: Switchboard Boot application ready: "
                    + "PostgreSQL \\d+.* through pool '" + Pattern.quote(pool) + "'");
            if (provider.equals("c3p0")) {
                // c3p0's MLog follows the Log4j API's binding to SLF4J: its own lines are Logback's too
                assertThat(System.getProperty("com.mchange.v2.log.MLog")).isEqualTo("slf4j");
                assertThat(output.getOut()).containsPattern(" INFO .*AbstractPoolBackedDataSource +: Initializing c3p0 pool");
            }
        }
        assertThat(output.getOut()).contains("Switchboard closed pool '" + pool + "'");
        assertThat(output.getAll()).doesNotContain(NEVER);
    }

    @Test
    void theLog4jApiAndSlf4jBothEndInLogbackThroughOneProvider() {
        List<String> providers = new ArrayList<>();
        for (SLF4JServiceProvider p : ServiceLoader.load(SLF4JServiceProvider.class)) {
            providers.add(p.getClass().getName());
        }
        // One binding on the class path, so SLF4J has no "multiple providers" warning to print in any JVM.
        assertThat(providers).containsExactly("ch.qos.logback.classic.spi.LogbackServiceProvider");
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(LoggerContext.class);
        assertThat(LogManager.getFactory().getClass().getName()).isEqualTo("org.apache.logging.slf4j.SLF4JLoggerContextFactory");
    }
}
