package db.loggingtests;

import org.junit.jupiter.api.Tag;

/**
 * Log4j2 with log4j-core and the application's {@code log4j2.xml} at INFO; HikariCP's SLF4J goes to it
 * through log4j-slf4j2-impl.
 */
@Tag("log4j-core")
final class Log4jCoreBackendTest extends LoggingBackendTest {
    @Override
    String backend() {
        return "log4j-core";
    }

    @Override
    String log4jApiBinding() {
        return "org.apache.logging.log4j.core.impl.Log4jContextFactory";
    }

    @Override
    String mlogChoice() {
        return "MLog clients using log4j2 logging.";
    }
}
