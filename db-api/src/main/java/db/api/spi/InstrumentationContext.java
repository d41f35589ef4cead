package db.api.spi;

import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.PoolStats;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What an instrumenter learns about the database it is bound to.
 *
 * @param config   the configuration (instrumenter options are read from its properties)
 * @param target   host, port, database and user
 * @param poolName the pool's name, unique among the open databases of this process: the configured
 *                 {@code db.pool.name}, with {@code #2}, {@code #3}, ... appended when another open
 *                 database already uses it
 * @param stats    live pool statistics, for observable gauges; cheap to call
 */
public record InstrumentationContext(DbConfig config, DatabaseTarget target, String poolName,
                                     Supplier<PoolStats> stats) {

    /** Validates the parts. */
    public InstrumentationContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(poolName, "poolName");
        Objects.requireNonNull(stats, "stats");
    }
}
