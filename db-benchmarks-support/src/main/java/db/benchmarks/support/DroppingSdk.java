package db.benchmarks.support;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The OpenTelemetry SDK the traced benchmark variants run on: every span sampled and ended, then counted and
 * dropped; metrics aggregated by a reader that never collects. The SDK does all its per-operation work and no
 * exporter cost is added, so what is measured is the instrumentation.
 */
public final class DroppingSdk {
    private DroppingSdk() {
    }

    /** A new SDK that adds one to {@code endedSpans} per ended span (a variant with none measured nothing). */
    public static OpenTelemetrySdk create(LongAdder endedSpans) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new CountingProcessor(endedSpans))
                        .build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(new NeverCollecting()).build())
                .build();
    }

    /** Counts ended spans and keeps nothing. */
    private static final class CountingProcessor implements SpanProcessor {
        private final LongAdder ended;

        CountingProcessor(LongAdder ended) {
            this.ended = ended;
        }

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
            // nothing to do at start
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            ended.increment();
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    /** A registered reader makes the SDK aggregate measurements (an SDK without readers drops them early). */
    private static final class NeverCollecting implements MetricReader {
        @Override
        public void register(CollectionRegistration registration) {
            // never collects: aggregation cost is paid, export cost is not
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public MemoryMode getMemoryMode() {
            return MemoryMode.REUSABLE_DATA;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
