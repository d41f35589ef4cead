package db.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;

import db.core.standalone.StandaloneContext;
import db.api.spi.ConnectionPool;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Reads what the module's tests logged through Log4j2 (log4j2-test.xml writes it to
 * target/c3p0-test.log). Ordered last (junit-platform.properties) so that it sees every other test
 * class's lines; it also runs a pool of its own first, so the capture is proven even when run alone.
 */
@Order(Integer.MAX_VALUE)
class LogCheckTest {
    private static final Path LOG = Path.of("target", "c3p0-test.log");

    @Test
    void c3p0LogsThroughLog4j2WithoutAnApparentDeadlockOrASecret() throws Exception {
        String app = PoolTestSupport.uniqueAppName("logcheck");
        try (TestSchema schema = TestDatabase.get().createSchema("logcheck");
             ConnectionPool pool = new C3p0SessionProvider().start(StandaloneContext.of(PoolTestSupport.config(schema, app).build()));
             Connection c = pool.borrow()) {
            assertThat(PoolTestSupport.selectOne(c)).isEqualTo(1);
        }

        assertThat(LOG).exists();
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        // c3p0's own lines (mchange MLog) arrived through Log4j2, with this pool's configuration.
        assertThat(log).contains("MLog clients using log4j2 logging")
                .contains("Initializing c3p0 pool").contains("dataSourceName -> " + app);
        assertThat(log).doesNotContain("APPARENT DEADLOCK");
        assertThat(log).doesNotContain(PoolTestSupport.PASSWORD_SENTINEL);
    }
}
