package db.loggingtests;

import org.junit.jupiter.api.Tag;

/**
 * Plain {@code java.util.logging} configured by the application's {@code jul-logging.properties}
 * ({@code -Djava.util.logging.config.file}); the Log4j API goes to it through log4j-to-jul, HikariCP's
 * SLF4J through slf4j-jdk14.
 */
@Tag("jul")
final class JulBackendTest extends LoggingBackendTest {
    @Override
    String backend() {
        return "jul";
    }

    @Override
    String log4jApiBinding() {
        return "org.apache.logging.log4j.tojul.JULLoggerContextFactory";
    }

    @Override
    String mlogChoice() {
        return "MLog clients using java 1.4+ standard logging.";
    }
}
