package db.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of the module (see junit-platform.properties) and reads what
 * they logged through Log4j2 (log4j2-test.xml writes it to target/c3p0-test.log).
 */
@Order(Integer.MAX_VALUE)
class LogCheckTest {
    private static final Path LOG = Path.of("target", "c3p0-test.log");

    @Test
    void c3p0LoggedThroughLog4j2WithoutAnApparentDeadlockOrASecret() throws Exception {
        assertThat(LOG).exists();
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        // Proof that the capture works at all: c3p0's own lines arrived through Log4j2.
        assertThat(log).contains("MLog clients using log4j2 logging").contains("Initializing c3p0 pool");
        assertThat(log).doesNotContain("APPARENT DEADLOCK");
        assertThat(log).doesNotContain(PoolTestSupport.PASSWORD_SENTINEL);
    }
}
