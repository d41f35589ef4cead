package db.tracing.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.PoolStats;
import db.api.spi.Instrumentation;
import db.api.spi.InstrumentationContext;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import db.tracing.otel.OpenTelemetryInstrumenter;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The global OpenTelemetry route. Touches {@link GlobalOpenTelemetry} (process-wide), so it resets it
 * before and after; no other test in this module uses the global instance.
 */
class DeferredInstrumentationTest {

    private static final DatabaseTarget TARGET = new DatabaseTarget("localhost", 5432, "test", null);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = InMemoryTelemetry.tracingInto(spans);

    private static PoolStats stats() {
        return new PoolStats("p", 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, false);
    }

    @BeforeEach
    @AfterEach
    void resetGlobal() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void openingBeforeTheApplicationRegistersOpenTelemetryDoesNotRegisterANoop() {
        DbConfig config = DbConfig.builder().url("jdbc:postgresql://localhost/test").build();
        try (Instrumentation instrumentation = new OpenTelemetryInstrumenter()
                .open(new InstrumentationContext(config, config.target(), "p", DeferredInstrumentationTest::stats))) {
            instrumentation.beforeQuery(new QueryContext("SELECT 1", true, 0)).end(QueryOutcome.success(-1));
            assertThat(GlobalRegistration.isSet()).as("the instrumenter must not claim the global slot").isFalse();
            GlobalOpenTelemetry.set(sdk); // what the application's SDK setup does; would throw after a get()
        } finally {
            sdk.close();
        }
    }

    @Test
    void startsObservingOnceTheGlobalIsRegistered() {
        try (Instrumentation instrumentation = new DeferredInstrumentation(
                otel -> new OtelInstrumentation(otel, TracingOptions.DEFAULTS, TARGET, "p", DeferredInstrumentationTest::stats), Duration.ZERO)) {
            assertThat(instrumentation.beforeQuery(new QueryContext("SELECT * FROM early", true, 0)))
                    .isSameAs(QueryObservation.NOOP);
            GlobalOpenTelemetry.set(sdk);
            instrumentation.beforeQuery(new QueryContext("SELECT * FROM late", true, 0)).end(QueryOutcome.success(-1));
            // (before sdk.close(): shutting down the in-memory exporter forgets its spans)
            assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("SELECT late");
        } finally {
            sdk.close();
        }
    }

    @Test
    void noJavaAgentInTheseTests() {
        // the agent check looks for a class by name; this JVM runs without the agent
        assertThat(DeferredInstrumentation.classPresent("io.opentelemetry.javaagent.OpenTelemetryAgent")).isFalse();
        assertThat(DeferredInstrumentation.classPresent(GlobalOpenTelemetry.class.getName())).isTrue();
        assertThat(DeferredInstrumentation.globalReady()).isFalse();
    }

    @Test
    void registeredGlobalIsUsedRightAway() {
        GlobalOpenTelemetry.set(sdk);
        DbConfig config = DbConfig.builder().url("jdbc:postgresql://localhost/test").build();
        try (Instrumentation instrumentation = new OpenTelemetryInstrumenter()
                .open(new InstrumentationContext(config, config.target(), "p", DeferredInstrumentationTest::stats))) {
            instrumentation.beforeQuery(new QueryContext("SELECT * FROM now", true, 0)).end(QueryOutcome.success(-1));
            assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("SELECT now");
        } finally {
            sdk.close();
        }
    }

    @Test
    void autoconfigureCountsOnlyWhenAskedForAndPresent() {
        String key = "otel.java.global-autoconfigure.enabled";
        assertThat(DeferredInstrumentation.autoconfigureRequested()).isFalse();
        System.setProperty(key, "true");
        try {
            // asked for, but the autoconfigure extension is not on this module's test path
            assertThat(DeferredInstrumentation.autoconfigureRequested()).isFalse();
        } finally {
            System.clearProperty(key);
        }
    }
}
