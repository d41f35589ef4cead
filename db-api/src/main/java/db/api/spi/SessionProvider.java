package db.api.spi;

import db.api.DbConfig;

/**
 * Service interface of a connection pool implementation: the module that provides it is put on
 * the module path, and {@link db.api.Database#open(DbConfig)} finds it with
 * {@link java.util.ServiceLoader}.
 *
 * <p>A provider only lends physical connections, which it opens through
 * {@link PoolContext#connections()}. Sessions, transactions, error mapping, instrumentation, leak
 * detection, the fair checkout gate and reconnect-wait are the core's, so every provider gets them
 * for free.
 */
public interface SessionProvider {

    /**
     * A short stable name ({@code "c3p0"}), matched against {@code db.session-provider} when
     * several providers are present.
     *
     * @return the provider's name
     */
    String name();

    /**
     * Starts a pool. With {@code db.pool.fail-fast=true} (the default) this obtains one connection
     * before returning, or throws a {@link db.api.ConnectionException} that names host, port,
     * database and user (never the password) and the driver's reason.
     *
     * @param context the validated configuration and the source of physical connections
     * @return the started pool; the caller closes it
     */
    ConnectionPool start(PoolContext context);
}
