package db.example;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Properties;

/**
 * Starts OpenTelemetry's global SDK, when it is on the module path and asked for, before the
 * database opens.
 *
 * <p>Why this way: {@code db.example} requires only {@code db.api}, so it cannot build an SDK and hand
 * it over with {@code DbConfig.builder().extension(...)}. The tracing module uses
 * {@code GlobalOpenTelemetry} once something registered it, and never calls
 * {@code GlobalOpenTelemetry.get()} itself (without autoconfiguration that would register a no-op
 * for good). With {@code opentelemetry-sdk-extension-autoconfigure} present and
 * {@code otel.java.global-autoconfigure.enabled=true}, {@code GlobalOpenTelemetry.get()} builds and
 * registers the SDK from {@code otel.*} settings; this class makes that one call by name, so the
 * example compiles and runs with or without OpenTelemetry on the module path.
 */
final class Telemetry {

    static final String AUTOCONFIGURE_PROPERTY = "otel.java.global-autoconfigure.enabled";
    private static final String AUTOCONFIGURE_ENV = "OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED";
    private static final String GLOBAL = "io.opentelemetry.api.GlobalOpenTelemetry";

    private Telemetry() {
    }

    /**
     * Registers the autoconfigured global SDK when the OpenTelemetry API is present and
     * autoconfiguration is enabled; answers whether it did.
     */
    static boolean startGlobal(Map<String, String> environment, Properties systemProperties) {
        String enabled = systemProperties.getProperty(AUTOCONFIGURE_PROPERTY, environment.get(AUTOCONFIGURE_ENV));
        if (!Boolean.parseBoolean(enabled)) {
            return false;
        }
        Class<?> global;
        try {
            global = Class.forName(GLOBAL);
        } catch (ClassNotFoundException e) {
            return false; // no tracing on the module path: nothing to start
        }
        try {
            global.getMethod("get").invoke(null);
            return true;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("OpenTelemetry autoconfiguration failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("OpenTelemetry's GlobalOpenTelemetry.get() is not callable: " + e, e);
        }
    }
}
