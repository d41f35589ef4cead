package db.spring.boot;

import db.api.Database;
import db.api.PoolStats;
import db.api.PoolStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of every pool of a {@link Database} (the primary's, and each standby's under read
 * routing), named as OpenTelemetry's database conventions name them: {@code db.client.connection.count}
 * by {@code db.client.connection.state} ({@code idle}, {@code used}), {@code db.client.connection.max},
 * {@code db.client.connection.idle.min}, {@code db.client.connection.pending_requests} and
 * {@code db.client.connection.timeouts}, each tagged {@code db.client.connection.pool.name}. Read from the
 * pool's statistics when the registry asks. Boot binds it to every registry; switch it off with
 * {@code management.metrics.enable.db.client.connection=false}.
 */
public final class SwitchboardPoolMetrics implements MeterBinder {
    static final String POOL_NAME = "db.client.connection.pool.name";
    static final String STATE = "db.client.connection.state";

    private final Database database;

    /**
     * Meters of {@code database}'s pools.
     *
     * @param database the database whose pools are measured
     */
    public SwitchboardPoolMetrics(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PoolStatus pool : database.pools()) {
            String name = pool.stats().poolName();
            Tags tags = Tags.of(POOL_NAME, name);
            gauge(registry, "db.client.connection.count", tags.and(STATE, "idle"), "{connection}",
                    "Idle connections of the pool", name, PoolStats::idle);
            gauge(registry, "db.client.connection.count", tags.and(STATE, "used"), "{connection}",
                    "Connections of the pool in use", name, PoolStats::busy);
            gauge(registry, "db.client.connection.max", tags, "{connection}",
                    "The most connections the pool may open", name, PoolStats::max);
            gauge(registry, "db.client.connection.idle.min", tags, "{connection}",
                    "The fewest idle connections the pool keeps open", name, PoolStats::min);
            gauge(registry, "db.client.connection.pending_requests", tags, "{request}",
                    "Callers waiting for a connection", name, PoolStats::pending);
            FunctionCounter.builder("db.client.connection.timeouts", this,
                            metrics -> metrics.value(name, PoolStats::timeouts))
                    .tags(tags).baseUnit("{timeout}")
                    .description("Checkouts that timed out waiting for a connection").register(registry);
        }
    }

    private void gauge(MeterRegistry registry, String meter, Tags tags, String unit, String description,
                       String pool, ToDoubleFunction<PoolStats> value) {
        Gauge.builder(meter, this, metrics -> metrics.value(pool, value)).tags(tags).baseUnit(unit)
                .description(description).register(registry);
    }

    /** The value of the pool named {@code pool} now; NaN when it is gone (the database closed). */
    private double value(String pool, ToDoubleFunction<PoolStats> value) {
        for (PoolStatus status : database.pools()) {
            if (status.stats().poolName().equals(pool)) {
                return value.applyAsDouble(status.stats());
            }
        }
        return Double.NaN;
    }
}
