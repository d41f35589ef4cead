package db.core.standalone;

import db.api.DbConfig;
import db.api.spi.PoolContext;
import db.api.spi.PoolEvents;
import db.core.engine.PhysicalConnector;

/**
 * A {@link PoolContext} outside a {@link db.api.Database}, for tools and a provider's own tests: the same
 * source of physical connections the engine hands a provider (driver properties, password supplier,
 * {@code db.pool.init-sql}, the configuration's initializers, back-off while the database is unreachable).
 */
public final class StandaloneContext {

    private StandaloneContext() {
    }

    /**
     * {@return a context for {@code config} that reports the pool's events to {@code events}}
     *
     * @param config the configuration
     * @param events where the pool reports its events
     */
    public static PoolContext of(DbConfig config, PoolEvents events) {
        return PhysicalConnector.standaloneContext(config, events);
    }

    /**
     * {@return a context for {@code config} that reports nothing}
     *
     * @param config the configuration
     */
    public static PoolContext of(DbConfig config) {
        return of(config, PoolEvents.NONE);
    }
}
