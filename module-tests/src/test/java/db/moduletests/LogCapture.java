package db.moduletests;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Captures everything logged through Log4j2 (messages and stack traces) while open. */
final class LogCapture implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final Capturing appender;
    private final LoggerContext context;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = new Capturing("capture-" + UUID.randomUUID(), out);
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

    /**
     * Writes "level logger message" and the stack trace itself, without a layout: the layout builders
     * changed between log4j-core 2.25 (Spring Boot 4.0's, {@code withPattern}) and 2.26 ({@code setPattern},
     * {@code withPattern} deprecated), and the tests run on both.
     */
    private static final class Capturing extends AbstractAppender {
        private final StringWriter out;

        Capturing(String name, StringWriter out) {
            super(name, null, null, true, Property.EMPTY_ARRAY);
            this.out = out;
        }

        @Override
        public void append(LogEvent event) {
            String logger = event.getLoggerName();
            String line = event.getLevel() + " " + logger.substring(logger.lastIndexOf('.') + 1) + " "
                    + event.getMessage().getFormattedMessage() + System.lineSeparator();
            synchronized (out) {
                out.append(line);
                if (event.getThrown() != null) {
                    event.getThrown().printStackTrace(new PrintWriter(out));
                }
            }
        }
    }
}
