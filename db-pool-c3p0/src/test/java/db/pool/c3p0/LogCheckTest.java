package db.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;

import db.core.standalone.StandaloneContext;
import db.api.spi.ConnectionPool;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * c3p0 logs through Log4j2 (log4j2-test.xml writes it to target/c3p0-test.log), and every test class of
 * the module has what it logged checked by {@link CapturedLogCheck} (no "APPARENT DEADLOCK", no password).
 * Independent of the order the classes run in: this class checks the lines of its own pool, and that each
 * test class registers the check, which then reads that class's own lines.
 */
@ExtendWith(CapturedLogCheck.class)
class LogCheckTest {

    @Test
    void c3p0LogsThroughLog4j2WithThisPoolsConfigurationAndNoSecret() throws Exception {
        long from = Files.exists(CapturedLogCheck.LOG) ? Files.size(CapturedLogCheck.LOG) : 0L;
        String app = PoolTestSupport.uniqueAppName("logcheck");
        try (TestSchema schema = TestDatabase.get().createSchema("logcheck");
             ConnectionPool pool = new C3p0SessionProvider().start(StandaloneContext.of(PoolTestSupport.config(schema, app).build()));
             Connection c = pool.borrow()) {
            assertThat(PoolTestSupport.selectOne(c)).isEqualTo(1);
        }
        String log = CapturedLogCheck.linesSince(from);
        // c3p0's own lines (mchange MLog) arrived through Log4j2, with this pool's configuration. MLog
        // announces itself once per JVM, in whichever class started the first pool: the whole file has it.
        assertThat(CapturedLogCheck.linesSince(0)).contains("MLog clients using log4j2 logging");
        assertThat(log).contains("Initializing c3p0 pool").contains("dataSourceName -> " + app);
        assertThat(log).doesNotContain(PoolTestSupport.PASSWORD_SENTINEL);
    }

    @Test
    void everyTestClassOfTheModuleHasItsLogChecked() throws Exception {
        Path classes = Path.of("target", "test-classes", LogCheckTest.class.getPackageName().replace('.', '/'));
        List<String> testClasses;
        try (Stream<Path> files = Files.list(classes)) {
            testClasses = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Test.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length())).sorted().toList();
        }
        assertThat(testClasses).as("test classes in %s", classes).contains(LogCheckTest.class.getSimpleName())
                .hasSizeGreaterThanOrEqualTo(3);
        for (String name : testClasses) {
            Class<?> type = Class.forName(LogCheckTest.class.getPackageName() + "." + name);
            ExtendWith extendWith = type.getAnnotation(ExtendWith.class);
            assertThat(extendWith == null ? List.of() : List.of(extendWith.value()))
                    .as("%s registers CapturedLogCheck (@ExtendWith)", name).contains(CapturedLogCheck.class);
        }
    }
}
