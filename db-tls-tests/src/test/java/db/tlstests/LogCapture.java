package db.tlstests;

import java.io.StringWriter;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures, while open, everything logged at DEBUG and above through Log4j2 (Switchboard, c3p0 through
 * MLog, HikariCP through SLF4J), with stack traces, and everything pgjdbc logs through
 * {@code java.util.logging} down to FINE (its DEBUG), where an application that bridges JUL would see it.
 */
final class LogCapture implements AutoCloseable {
    private static final Logger PGJDBC = Logger.getLogger("org.postgresql");

    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;
    private final Handler julHandler;
    private final java.util.logging.Level julLevel;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().setConfiguration(config)
                .setPattern("%level %logger %msg%n%throwable").build();
        appender = WriterAppender.newBuilder().setName("capture-" + UUID.randomUUID()).setTarget(out)
                .setLayout(layout).setConfiguration(config).build();
        appender.start();
        LoggerConfig root = config.getRootLogger();
        root.addAppender(appender, Level.DEBUG, null);
        context.updateLoggers();
        julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                Object[] params = record.getParameters();
                if (params != null && params.length > 0) {
                    message = java.text.MessageFormat.format(message, params);
                }
                StringBuilder line = new StringBuilder("JUL ").append(record.getLevel()).append(' ')
                        .append(record.getLoggerName()).append(' ').append(message).append('\n');
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append("  caused by ").append(t).append('\n');
                }
                synchronized (out) {
                    out.write(line.toString());
                }
            }

            @Override
            public void flush() {
                // writes go straight to the buffer
            }

            @Override
            public void close() {
                // nothing held
            }
        };
        julHandler.setLevel(java.util.logging.Level.ALL);
        julLevel = PGJDBC.getLevel();
        PGJDBC.setLevel(java.util.logging.Level.FINE);
        PGJDBC.addHandler(julHandler);
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
        PGJDBC.removeHandler(julHandler);
        PGJDBC.setLevel(julLevel);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
