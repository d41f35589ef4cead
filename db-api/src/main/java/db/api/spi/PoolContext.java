package db.api.spi;

import db.api.DbConfig;
import javax.sql.DataSource;

/**
 * What the core hands a {@link SessionProvider} when it starts a pool: the configuration and the one
 * source of physical connections.
 */
public interface PoolContext {

    /** {@return the validated configuration} */
    DbConfig config();

    /**
     * Where every new physical connection comes from (c3p0's nested data source, HikariCP's
     * {@code dataSource}). Each {@code getConnection()} opens one connection with the driver's
     * properties from {@link #config()}, asks the password supplier anew, runs {@code db.pool.init-sql}
     * and the {@link ConnectionInitializer}s (the connection's baseline), and reports the creation to
     * the instrumenters. While the database is unreachable it backs off (exponential with jitter,
     * capped): a call during the back-off fails at once with SQLSTATE 08001 naming the last connect
     * failure, without touching the network. While the pool is paused it fails at once with 08004.
     * Its {@code toString()} never shows a secret. {@code getConnection(user, password)} is not supported.
     *
     * @return the source of physical connections
     */
    DataSource connections();
}
