package db.moduletests;

import java.io.StringWriter;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Captures everything logged through Log4j2 (messages and stack traces) while open. */
final class LogCapture implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().setConfiguration(config)
                .setPattern("%level %logger{1} %msg%n%throwable").build();
        appender = WriterAppender.newBuilder().setName("capture-" + UUID.randomUUID()).setTarget(out)
                .setLayout(layout).setConfiguration(config).build();
        appender.start();
        LoggerConfig root = config.getRootLogger();
        root.addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** Everything captured so far. */
    String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
