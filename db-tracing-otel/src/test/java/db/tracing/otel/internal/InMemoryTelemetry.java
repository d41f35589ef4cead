package db.tracing.otel.internal;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** The OpenTelemetry SDK the tests observe: every span ended goes to an in-memory exporter at once. */
public final class InMemoryTelemetry {
    private InMemoryTelemetry() {
    }

    /** An SDK that traces into {@code spans} and has no metrics. */
    public static OpenTelemetrySdk tracingInto(InMemorySpanExporter spans) {
        return OpenTelemetrySdk.builder().setTracerProvider(tracerProvider(spans)).build();
    }

    /** An SDK that traces into {@code spans} and records its metrics for {@code metrics} to collect. */
    public static OpenTelemetrySdk into(InMemorySpanExporter spans, InMemoryMetricReader metrics) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider(spans))
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .build();
    }

    private static SdkTracerProvider tracerProvider(InMemorySpanExporter spans) {
        return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    }
}
