package db.tracing.otel.internal;

import db.api.spi.Instrumentation;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.TransactionContext;
import db.api.spi.TransactionObservation;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.function.Function;

/**
 * Waits for the application to register {@link GlobalOpenTelemetry}, then instruments with it.
 *
 * <p>Why not simply {@code GlobalOpenTelemetry.get()} at open time: when nothing is registered yet,
 * {@code get()} registers a no-op instance for good, and the application's own registration later
 * (the SDK's {@code buildAndRegisterGlobal()}) then fails. A database is often opened before the
 * telemetry is set up, so this never calls {@code get()} before {@code GlobalOpenTelemetry.isSet()}
 * says an instance is there; until then statements go unobserved, and the check is repeated at most
 * once per {@code recheck} interval (it takes a lock inside the OpenTelemetry API).
 *
 * <p>Under the OpenTelemetry Java agent, {@code get()} is bridged to the agent's instance and never
 * registers anything, while {@code isSet()} stays false; so when the agent is present {@code get()}
 * is used right away.
 */
public final class DeferredInstrumentation implements Instrumentation {

    /** The Java agent's entry class: present (on the system or boot class path) only under the agent. */
    private static final String AGENT_CLASS = "io.opentelemetry.javaagent.OpenTelemetryAgent";
    private static final boolean JAVA_AGENT = classPresent(AGENT_CLASS);
    private static final String AUTOCONFIGURE_PROPERTY = "otel.java.global-autoconfigure.enabled";
    private static final String AUTOCONFIGURE_ENV = "OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED";
    private static final String AUTOCONFIGURE_CLASS =
            "io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk";

    private final Function<OpenTelemetry, Instrumentation> factory;
    private final long recheckNanos;
    private volatile Instrumentation delegate;
    private volatile long nextCheck;
    private boolean closed; // guarded by this

    /**
     * An instrumentation that starts observing once a global OpenTelemetry is registered.
     *
     * @param factory builds the real instrumentation from the registered instance
     * @param recheck how often, at most, to look for the registration
     */
    public DeferredInstrumentation(Function<OpenTelemetry, Instrumentation> factory, Duration recheck) {
        this.factory = factory;
        this.recheckNanos = recheck.toNanos();
        this.nextCheck = System.nanoTime();
    }

    /**
     * Whether {@link GlobalOpenTelemetry#get()} can be called without registering a no-op for good:
     * an instance is registered, or the Java agent provides one.
     */
    public static boolean globalReady() {
        return JAVA_AGENT || GlobalRegistration.isSet() || autoconfigureRequested();
    }

    /**
     * Whether the application asked OpenTelemetry to configure the global instance itself
     * ({@code otel.java.global-autoconfigure.enabled=true}, or its environment form) and the
     * autoconfigure extension is present: then {@code get()} builds the SDK from the {@code otel.*}
     * settings instead of registering a no-op, so it is safe to call.
     */
    static boolean autoconfigureRequested() {
        String enabled = System.getProperty(AUTOCONFIGURE_PROPERTY, System.getenv(AUTOCONFIGURE_ENV));
        return Boolean.parseBoolean(enabled) && classPresent(AUTOCONFIGURE_CLASS);
    }

    /** Whether a class can be found; only its presence is looked at, nothing is called. */
    static boolean classPresent(String name) {
        try {
            Class.forName(name, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The real instrumentation, or {@code null} while no global OpenTelemetry is registered. */
    private Instrumentation resolve() {
        Instrumentation current = delegate;
        if (current != null) {
            return current;
        }
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return null;
        }
        synchronized (this) {
            if (delegate == null && !closed) {
                if (globalReady()) {
                    delegate = factory.apply(GlobalOpenTelemetry.get());
                } else {
                    nextCheck = now + recheckNanos;
                }
            }
            return delegate;
        }
    }

    @Override
    public QueryObservation beforeQuery(QueryContext query) {
        Instrumentation current = resolve();
        return current == null ? QueryObservation.NOOP : current.beforeQuery(query);
    }

    @Override
    public TransactionObservation beginTransaction(TransactionContext transaction) {
        Instrumentation current = resolve();
        return current == null ? TransactionObservation.NOOP : current.beginTransaction(transaction);
    }

    @Override
    public void poolEvent(PoolEvent event) {
        Instrumentation current = resolve();
        if (current != null) {
            current.poolEvent(event);
        }
    }

    @Override
    public void close() {
        Instrumentation current;
        synchronized (this) {
            closed = true;
            current = delegate;
        }
        if (current != null) {
            current.close();
        }
    }
}
