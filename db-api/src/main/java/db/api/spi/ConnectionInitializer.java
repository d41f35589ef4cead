package db.api.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Code run on every new physical connection before it is first lent, after {@code db.pool.init-sql}
 * (psycopg_pool's {@code configure}, HikariCP's {@code connectionInitSql}). What it sets is the
 * connection's baseline: the session reset restores to it, not away from it, so an initializer may
 * also run again on a connection after {@code DISCARD ALL}. It must therefore be idempotent and must
 * leave the connection in autocommit mode.
 *
 * <p>Hand one to the pool with {@code DbConfig.builder().extension(ConnectionInitializer.class, init)}.
 * When it throws, the connection is closed and its creation fails; it is never lent half set up.
 */
@FunctionalInterface
public interface ConnectionInitializer {

    /**
     * Sets up {@code connection} (the driver's, not a session's).
     *
     * @param connection a new physical connection, before any session uses it
     * @throws java.sql.SQLException when the setup fails; the connection is then closed and the attempt fails
     */
    void initialize(Connection connection) throws SQLException;
}
