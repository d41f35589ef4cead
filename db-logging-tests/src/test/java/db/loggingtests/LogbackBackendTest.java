package db.loggingtests;

import org.junit.jupiter.api.Tag;

/**
 * SLF4J 2 with Logback and the application's {@code logback.xml} at INFO, the Log4j API sent to it by
 * log4j-to-slf4j: what a Spring Boot application runs with.
 */
@Tag("logback")
final class LogbackBackendTest extends LoggingBackendTest {
    @Override
    String backend() {
        return "logback";
    }

    @Override
    String log4jApiBinding() {
        return "org.apache.logging.slf4j.SLF4JLoggerContextFactory";
    }

    @Override
    String mlogChoice() {
        return "MLog clients using slf4j logging.";
    }
}
