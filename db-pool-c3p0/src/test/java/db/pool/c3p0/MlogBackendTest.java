package db.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

/** c3p0's logging follows the backend the Log4j API is bound to, never one that is absent. */
class MlogBackendTest {

    @Test
    void log4jCoreBindingKeepsC3p0OnLog4j2() {
        assertThat(C3p0SessionProvider.mlogBackend("org.apache.logging.log4j.core.impl.Log4jContextFactory"))
                .isEqualTo("log4j2");
    }

    @Test
    void log4jToSlf4jBindingSendsC3p0ToSlf4j() {
        assertThat(C3p0SessionProvider.mlogBackend("org.apache.logging.slf4j.SLF4JLoggerContextFactory"))
                .isEqualTo("slf4j");
    }

    @Test
    void log4jToJulAndTheApiFallbackSendC3p0ToTheJdkLogging() {
        assertThat(C3p0SessionProvider.mlogBackend("org.apache.logging.log4j.tojul.JULLoggerContextFactory"))
                .isEqualTo("jul");
        assertThat(C3p0SessionProvider.mlogBackend("org.apache.logging.log4j.simple.SimpleLoggerContextFactory"))
                .isEqualTo("jul");
    }

    @Test
    void thisBuildsLog4jCoreIsSeenAsLog4j2() {
        assertThat(C3p0SessionProvider.mlogBackend(LogManager.getFactory().getClass().getName()))
                .isEqualTo("log4j2");
    }
}
