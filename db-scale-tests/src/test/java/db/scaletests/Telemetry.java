package db.scaletests;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.stream.Collectors;

/** An OpenTelemetry SDK that keeps what it records in memory, for the tests to look at. */
final class Telemetry implements AutoCloseable {
    static final AttributeKey<String> QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
    static final AttributeKey<String> POOL_ROLE = AttributeKey.stringKey("switchboard.pool.role");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    /** What to hand over with {@code DbConfig.builder().extension(OpenTelemetry.class, ...)}. */
    OpenTelemetrySdk sdk() {
        return sdk;
    }

    /** The finished spans of statements with the text {@code sql} ({@code db.query.text}), in the order they ended. */
    List<SpanData> spans(String sql) {
        return spans.getFinishedSpanItems().stream().filter(s -> sql.equals(s.getAttributes().get(QUERY_TEXT)))
                .collect(Collectors.toList());
    }

    /** Every finished span, in the order they ended. */
    List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    /** Forgets the spans finished so far. */
    void resetSpans() {
        spans.reset();
    }

    /** Every point of every metric whose name starts with {@code prefix}, collected now. */
    List<PointData> points(String prefix) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().startsWith(prefix))
                .map(MetricData::getData).flatMap(d -> d.getPoints().stream()).collect(Collectors.toList());
    }

    @Override
    public void close() {
        sdk.close();
    }
}
