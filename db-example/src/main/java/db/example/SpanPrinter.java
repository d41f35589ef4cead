package db.example;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Shows the spans of the tour in its output, in order with the steps that caused them.
 *
 * <p>The OpenTelemetry SDK's logging exporter writes each finished span to the
 * {@code java.util.logging} logger named after its class, which by default ends up on stderr. While
 * attached, this handler prints those records to the tour's stream instead. Only the logger's name
 * is used, so the example needs no OpenTelemetry class; without the tracing module nothing is ever
 * logged there and the tour simply shows no spans.
 */
final class SpanPrinter extends Handler implements AutoCloseable {

    /** The logger of {@code io.opentelemetry.exporter.logging.LoggingSpanExporter}. */
    static final String EXPORTER_LOGGER = "io.opentelemetry.exporter.logging.LoggingSpanExporter";

    /** What every printed span line starts with. */
    static final String PREFIX = "  span: ";

    private final Logger logger;
    private final boolean usedParentHandlers;
    private final PrintStream out;
    private final SimpleFormatter formatter = new SimpleFormatter();

    private SpanPrinter(Logger logger, PrintStream out) {
        // Held in a field: java.util.logging keeps loggers only weakly, and a collected logger would
        // lose the handler.
        this.logger = logger;
        this.usedParentHandlers = logger.getUseParentHandlers();
        this.out = out;
    }

    /** Starts printing exported spans to {@code out}; close to stop. */
    static SpanPrinter attach(PrintStream out) {
        Logger logger = Logger.getLogger(EXPORTER_LOGGER);
        SpanPrinter printer = new SpanPrinter(logger, out);
        logger.addHandler(printer);
        logger.setUseParentHandlers(false);
        return printer;
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            out.println(PREFIX + formatter.formatMessage(record));
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** Detaches from the logger and restores where its records went before. */
    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(usedParentHandlers);
        flush();
    }
}
