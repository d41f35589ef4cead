package db.api.spi;

import db.api.DbConfig;

/**
 * Service interface of a connection pool implementation: the module that provides it is put on
 * the module path, and {@link db.api.Database#open(DbConfig)} finds it with
 * {@link java.util.ServiceLoader}.
 *
 * <p>A provider only lends physical connections. Sessions, transactions, error mapping,
 * instrumentation and leak detection are the core's, so every provider gets them for free.
 */
public interface SessionProvider {

    /**
     * A short stable name ({@code "c3p0"}), matched against {@code db.session-provider} when
     * several providers are present.
     */
    String name();

    /**
     * Starts a pool for the configuration. With {@code db.pool.fail-fast=true} (the default) this
     * obtains one connection before returning, or throws a {@link db.api.ConnectionException} that
     * names host, port, database and user (never the password) and the driver's reason.
     *
     * @param config the validated configuration
     * @param events where the pool reports what only it can see (connection creation)
     * @return the started pool; the caller closes it
     */
    ConnectionPool start(DbConfig config, PoolEvents events);

    /** Starts a pool that reports no events. */
    default ConnectionPool start(DbConfig config) {
        return start(config, PoolEvents.NONE);
    }
}
