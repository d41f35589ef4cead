package db.tracing.otel.internal;

import static db.tracing.otel.internal.SemconvKeys.CONNECTION_STATE;

import db.api.PoolStats;
import db.api.spi.PoolEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.function.Supplier;

/**
 * The conventions' {@code db.client.connection.*} metrics of one pool and Switchboard's own
 * {@code switchboard.pool.*} counters: histograms fed by pool events, gauges read from the pool's
 * statistics once per collection.
 */
final class PoolMetrics {
    private final Attributes poolAttributes;
    private final LongCounter timeouts;
    private final DoubleHistogram createTime;
    private final DoubleHistogram waitTime;
    private final DoubleHistogram useTime;
    private final BatchCallback poolCallback;

    PoolMetrics(Meter meter, Attributes poolAttributes, Supplier<PoolStats> stats) {
        this.poolAttributes = poolAttributes;
        Attributes idleAttributes = poolAttributes.toBuilder().put(CONNECTION_STATE, "idle").build();
        Attributes usedAttributes = poolAttributes.toBuilder().put(CONNECTION_STATE, "used").build();
        this.timeouts = meter.counterBuilder("db.client.connection.timeouts")
                .setUnit("{timeout}")
                .setDescription("The number of connection timeouts that have occurred trying to obtain a connection "
                        + "from the pool.")
                .build();
        this.createTime = Seconds.histogram(meter, "db.client.connection.create_time",
                "The time it took to create a new connection.");
        this.waitTime = Seconds.histogram(meter, "db.client.connection.wait_time",
                "The time it took to obtain an open connection from the pool.");
        this.useTime = Seconds.histogram(meter, "db.client.connection.use_time",
                "The time between borrowing a connection and returning it to the pool.");

        ObservableLongMeasurement count = connections(meter, "db.client.connection.count",
                "The number of connections that are currently in state described by the state attribute.");
        ObservableLongMeasurement max = connections(meter, "db.client.connection.max",
                "The maximum number of open connections allowed.");
        ObservableLongMeasurement idleMin = connections(meter, "db.client.connection.idle.min",
                "The minimum number of idle open connections allowed.");
        ObservableLongMeasurement idleMax = connections(meter, "db.client.connection.idle.max",
                "The maximum number of idle open connections allowed.");
        ObservableLongMeasurement pending = meter.upDownCounterBuilder("db.client.connection.pending_requests")
                .setUnit("{request}")
                .setDescription("The number of current pending requests for an open connection.")
                .buildObserver();
        // Switchboard's own pool counters (the conventions define none for these).
        ObservableLongMeasurement rejected = meter.counterBuilder("switchboard.pool.rejected")
                .setUnit("{request}")
                .setDescription("Checkouts refused at once because db.pool.max-waiting callers already waited.")
                .buildObserver();
        ObservableLongMeasurement connectAttempts = meter.counterBuilder("switchboard.pool.connect_attempts")
                .setUnit("{attempt}")
                .setDescription("Physical connection attempts, successful or not.")
                .buildObserver();
        ObservableLongMeasurement connectFailures = meter.counterBuilder("switchboard.pool.connect_failures")
                .setUnit("{attempt}")
                .setDescription("Physical connection attempts that failed.")
                .buildObserver();
        // One callback for all pool gauges, so the pool's statistics are read once per collection.
        this.poolCallback = meter.batchCallback(() -> {
            PoolStats s;
            try {
                s = stats.get();
            } catch (RuntimeException e) {
                return; // a closed or broken pool reports nothing rather than failing the collection
            }
            count.record(s.idle(), idleAttributes);
            count.record(s.busy(), usedAttributes);
            max.record(s.max(), poolAttributes);
            idleMin.record(s.min(), poolAttributes);
            idleMax.record(s.max(), poolAttributes);
            pending.record(s.pending(), poolAttributes);
            rejected.record(s.rejected(), poolAttributes);
            connectAttempts.record(s.connectAttempts(), poolAttributes);
            connectFailures.record(s.connectFailures(), poolAttributes);
        }, count, max, idleMin, idleMax, pending, rejected, connectAttempts, connectFailures);
    }

    private static ObservableLongMeasurement connections(Meter meter, String name, String description) {
        return meter.upDownCounterBuilder(name).setUnit("{connection}").setDescription(description).buildObserver();
    }

    /** Records a pool event in its histogram or counter. */
    void record(PoolEvent event) {
        switch (event.kind()) {
            case CHECKOUT -> waitTime.record(Seconds.of(event.duration()), poolAttributes);
            case RELEASE -> useTime.record(Seconds.of(event.duration()), poolAttributes);
            case TIMEOUT -> timeouts.add(1, poolAttributes);
            case CONNECTION_CREATED -> createTime.record(Seconds.of(event.duration()), poolAttributes);
            default -> {
                // LEAK: the conventions define no metric; the core logs it
            }
        }
    }

    /** Stops the gauges' callback. */
    void close() {
        poolCallback.close();
    }
}
