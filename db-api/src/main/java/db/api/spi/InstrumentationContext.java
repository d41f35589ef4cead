package db.api.spi;

import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.PoolStats;
import db.api.PoolStatus;
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
 * @param role     what the pool is for: the primary's, or a standby's with read routing
 *                 ({@code db.replica.url})
 */
public record InstrumentationContext(DbConfig config, DatabaseTarget target, String poolName,
                                     Supplier<PoolStats> stats, PoolStatus.Role role) {

    /**
     * Validates the parts.
     *
     * @param config the configuration (instrumenter options are read from its properties)
     * @param target host, port, database and user
     * @param poolName the pool's name, unique among the open databases of this process: the configured
     *     {@code db.pool.name}, with {@code #2}, {@code #3}, ... appended when another open database already
     *     uses it
     * @param stats live pool statistics, for observable gauges; cheap to call
     * @param role what the pool is for: the primary's, or a standby's with read routing ({@code db.replica.url})
     */
    public InstrumentationContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(poolName, "poolName");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(role, "role");
    }

    /**
     * The primary's pool.
     *
     * @param config the configuration (instrumenter options are read from its properties)
     * @param target host, port, database and user
     * @param poolName the pool's name, unique among the open databases of this process: the configured
     *     {@code db.pool.name}, with {@code #2}, {@code #3}, ... appended when another open database already
     *     uses it
     * @param stats live pool statistics, for observable gauges; cheap to call
     */
    public InstrumentationContext(DbConfig config, DatabaseTarget target, String poolName, Supplier<PoolStats> stats) {
        this(config, target, poolName, stats, PoolStatus.Role.PRIMARY);
    }
}
