package db.tracing.otel.internal;

import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.List;

/** Durations as the conventions record them: in seconds, in histograms with their bucket advice. */
final class Seconds {
    /** The conventions' bucket advice for every duration histogram here. */
    static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

    private Seconds() {
    }

    /** {@return {@code d} in seconds} */
    static double of(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** {@return a histogram of durations in seconds with the conventions' buckets} */
    static DoubleHistogram histogram(Meter meter, String name, String description) {
        return meter.histogramBuilder(name)
                .setUnit("s")
                .setDescription(description)
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
    }
}
