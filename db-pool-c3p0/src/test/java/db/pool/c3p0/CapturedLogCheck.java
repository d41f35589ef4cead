package db.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks, after each test class it is registered on, what that class logged through Log4j2 (log4j2-test.xml
 * writes it to {@link #LOG}): no c3p0 "APPARENT DEADLOCK" and no password. Each class checks its own lines,
 * so the check holds whatever order the classes run in; {@link LogCheckTest} proves every test class of the
 * module registers it.
 */
final class CapturedLogCheck implements BeforeAllCallback, AfterAllCallback {
    static final Path LOG = Path.of("target", "c3p0-test.log");
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CapturedLogCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // Configured first: the file appender truncates the file when Log4j2 starts, after which the
        // offset of this class's first line is the file's length.
        LogManager.getLogger(CapturedLogCheck.class);
        context.getStore(NAMESPACE).put(LOG, Files.exists(LOG) ? Files.size(LOG) : 0L);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        long from = context.getStore(NAMESPACE).get(LOG, Long.class);
        String lines = linesSince(from);
        String owner = context.getRequiredTestClass().getSimpleName();
        assertThat(lines).as("what %s logged", owner).doesNotContain("APPARENT DEADLOCK");
        assertThat(lines).as("what %s logged", owner).doesNotContain(PoolTestSupport.PASSWORD_SENTINEL);
    }

    /** What was written to {@link #LOG} from byte {@code from} on. */
    static String linesSince(long from) throws Exception {
        assertThat(LOG).exists();
        byte[] all = Files.readAllBytes(LOG);
        int start = (int) Math.min(from, all.length);
        return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    }
}
