package db.tracing.otel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, written into a resource by the build; the instrumentation scope carries it. */
final class Version {

    /** The version, or {@code "unknown"} when the resource is missing (never in a built jar). */
    static final String LIBRARY = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
