package db.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** c3p0's logging follows the backend the Log4j API is bound to, never one that is absent. */
@ExtendWith(CapturedLogCheck.class)
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

    @Test
    void aChoiceInAPropertyOrAResourceIsTheApplicationsAndKept() {
        Properties none = new Properties();
        Properties chosen = new Properties();
        chosen.setProperty("com.mchange.v2.log.MLog", "fallback");
        assertThat(C3p0SessionProvider.applicationChoseMlog(none, resources(Map.of()))).isFalse();
        assertThat(C3p0SessionProvider.applicationChoseMlog(chosen, resources(Map.of()))).isTrue();
        assertThat(C3p0SessionProvider.applicationChoseMlog(none,
                resources(Map.of("/mchange-log.properties", "com.mchange.v2.log.MLog=slf4j\n")))).isTrue();
        assertThat(C3p0SessionProvider.applicationChoseMlog(none,
                resources(Map.of("/mchange-commons.properties", "com.mchange.v2.log.mlog=jul\n")))).isTrue();
        assertThat(C3p0SessionProvider.applicationChoseMlog(none,
                resources(Map.of("/c3p0.properties", "com.mchange.v2.log.MLog=log4j2\n")))).isTrue();
    }

    @Test
    void c3p0SettingsWithoutAnMlogChoiceLeaveItToTheBinding() {
        assertThat(C3p0SessionProvider.applicationChoseMlog(new Properties(),
                resources(Map.of("/c3p0.properties", "c3p0.maxPoolSize=5\n")))).isFalse();
    }

    /** Resources by absolute path, as c3p0's classes ask for them; null where there is none. */
    private static Function<String, InputStream> resources(Map<String, String> byPath) {
        return path -> byPath.containsKey(path)
                ? new ByteArrayInputStream(byPath.get(path).getBytes(StandardCharsets.ISO_8859_1)) : null;
    }
}
