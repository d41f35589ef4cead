package db.spring.boot;

import db.api.Database;
import db.api.PoolStats;
import db.api.PoolStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator health from {@link Database#health()}: a bounded round trip (never longer than
 * {@code db.health-timeout}), and in the details every pool with its role, server, state (in rotation or
 * why not), replica lag and connection counts. Nothing in it is a secret: servers are {@code host:port}, and
 * a failure shows Switchboard's message, which carries no password and no row values.
 */
public final class SwitchboardHealthIndicator extends AbstractHealthIndicator {
    private final Database database;

    /**
     * The health of {@code database}.
     *
     * @param database the database to report on
     */
    public SwitchboardHealthIndicator(Database database) {
        super("Switchboard health check failed");
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        db.api.Health health = database.health();
        if (health.healthy()) {
            builder.up();
        } else {
            builder.down();
        }
        builder.withDetail("latencyMs", health.latency().toMillis());
        health.failureCause().ifPresent(failure -> {
            builder.withDetail("error", failure.getClass().getSimpleName() + ": " + failure.getMessage());
            if (failure.sqlState() != null) {
                builder.withDetail("sqlState", failure.sqlState());
            }
        });
        List<Map<String, Object>> pools = new ArrayList<>();
        for (PoolStatus pool : health.pools()) {
            pools.add(describe(pool));
        }
        builder.withDetail("pools", pools);
    }

    private static Map<String, Object> describe(PoolStatus pool) {
        Map<String, Object> details = new LinkedHashMap<>();
        PoolStats stats = pool.stats();
        details.put("name", stats.poolName());
        details.put("role", pool.role().label());
        details.put("server", pool.server());
        details.put("state", pool.inRotation() ? "in-rotation" : "out-of-rotation");
        pool.outOfRotationReason().ifPresent(reason -> details.put("reason", reason));
        pool.replayLag().ifPresent(lag -> details.put("replicaLagMs", lag.toMillis()));
        details.put("total", stats.total());
        details.put("idle", stats.idle());
        details.put("used", stats.busy());
        details.put("pending", stats.pending());
        details.put("max", stats.max());
        return details;
    }
}
