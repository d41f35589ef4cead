package db.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.DbConfig;
import db.api.PoolStats;
import db.api.spi.Instrumentation;
import db.api.spi.InstrumentationContext;
import db.api.spi.QueryContext;
import db.api.spi.QueryOutcome;
import db.tracing.otel.internal.InMemoryTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Opens the instrumenter the way the core does: from an {@link InstrumentationContext}. */
@SuppressWarnings("try") // Scope resources exist for their close()
class OpenTelemetryInstrumenterTest {

    private static final AttributeKey<String> QUERY_TEXT = AttributeKey.stringKey("db.query.text");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = InMemoryTelemetry.tracingInto(spans);

    @AfterEach
    void tearDown() {
        sdk.close();
    }

    private Instrumentation open(DbConfig.Builder config) {
        DbConfig built = config.url("jdbc:postgresql://db.example:6543/shop").build();
        return new OpenTelemetryInstrumenter().open(new InstrumentationContext(built, built.target(), "main",
                () -> new PoolStats("main", 0, 0, 0, 0, 10, 2, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, false)));
    }

    @Test
    void usesTheOpenTelemetryHandedOverInTheConfig() {
        try (Instrumentation instrumentation = open(DbConfig.builder().extension(OpenTelemetry.class, sdk))) {
            instrumentation.beforeQuery(new QueryContext("SELECT * FROM users", true, 0)).end(QueryOutcome.success(-1));
            // without sqlcommenter, rewrite is the identity
            assertThat(instrumentation.rewrite("SELECT 1")).isEqualTo("SELECT 1");
        }
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("SELECT users");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("db.namespace"))).isEqualTo("shop");
            assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(6543L);
            assertThat(span.getAttributes().get(QUERY_TEXT)).isEqualTo("SELECT * FROM users");
        });
    }

    @Test
    void readsOptionsFromConfigKeys() {
        try (Instrumentation instrumentation = open(DbConfig.builder().extension(OpenTelemetry.class, sdk)
                .property(OpenTelemetryInstrumenter.QUERY_TEXT, "false")
                .property(OpenTelemetryInstrumenter.REQUIRE_PARENT, "true"))) {
            instrumentation.beforeQuery(new QueryContext("SELECT * FROM a", true, 0)).end(QueryOutcome.success(-1));
            Span parent = sdk.getTracer("test").spanBuilder("parent").startSpan();
            try (Scope ignored = parent.makeCurrent()) {
                instrumentation.beforeQuery(new QueryContext("SELECT * FROM b", true, 0)).end(QueryOutcome.success(-1));
            } finally {
                parent.end();
            }
        }
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("SELECT b", "parent");
        assertThat(spans.getFinishedSpanItems().get(0).getAttributes().get(QUERY_TEXT)).isNull();
    }

    @Test
    void invalidOptionFailsAtOpen() {
        assertThatThrownBy(() -> open(DbConfig.builder().extension(OpenTelemetry.class, sdk)
                .property(OpenTelemetryInstrumenter.QUERY_TEXT, "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(OpenTelemetryInstrumenter.QUERY_TEXT);
    }

    @Test
    void sqlCommenterAppendsTraceparentOnlyInsideASpan() {
        try (Instrumentation instrumentation = open(DbConfig.builder().extension(OpenTelemetry.class, sdk)
                .property(OpenTelemetryInstrumenter.SQL_COMMENTER, "true"))) {
            assertThat(instrumentation.rewrite("SELECT 1")).isEqualTo("SELECT 1");
            Span parent = sdk.getTracer("test").spanBuilder("parent").startSpan();
            try (Scope ignored = parent.makeCurrent()) {
                String traceparent = "00-" + parent.getSpanContext().getTraceId() + "-"
                        + parent.getSpanContext().getSpanId() + "-" + parent.getSpanContext().getTraceFlags().asHex();
                assertThat(instrumentation.rewrite("SELECT * FROM t WHERE id = ?"))
                        .isEqualTo("SELECT * FROM t WHERE id = ? /*traceparent='" + traceparent + "'*/");
                assertThat(instrumentation.rewrite("SELECT 1;  "))
                        .isEqualTo("SELECT 1 /*traceparent='" + traceparent + "'*/;");
                // the specification: a statement that has a comment already is left alone
                assertThat(instrumentation.rewrite("SELECT /* mine */ 1")).isEqualTo("SELECT /* mine */ 1");
                // tracing still works through the wrapper
                instrumentation.beforeQuery(new QueryContext("SELECT 1", true, 0)).end(QueryOutcome.success(-1));
            } finally {
                parent.end();
            }
        }
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("SELECT", "parent");
    }

    @Test
    void nameIsStable() {
        assertThat(new OpenTelemetryInstrumenter().name()).isEqualTo("opentelemetry");
    }
}
