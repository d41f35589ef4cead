package db.loggingtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything this JVM writes to {@code System.out} and {@code System.err}, still passed on to the real
 * streams. It must be installed before any logging framework starts: Log4j's status logger, SLF4J's
 * provider report, c3p0's fallback logger and the JDK's console handler keep the stream they saw first.
 */
final class ConsoleCapture {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private ConsoleCapture() {
    }

    /** Replaces both streams by tees into one buffer; call once, from a static initializer. */
    static ConsoleCapture install() {
        ConsoleCapture capture = new ConsoleCapture();
        System.setOut(capture.tee(System.out));
        System.setErr(capture.tee(System.err));
        return capture;
    }

    /** What was written so far, both streams interleaved. */
    String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    private PrintStream tee(PrintStream original) {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                captured.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                captured.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                original.flush();
            }
        };
        return new PrintStream(both, true, StandardCharsets.UTF_8);
    }
}
