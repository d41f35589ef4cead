/**
 * Helpers for provider authors (pool, error mapper and instrumenter modules), not for applications: a
 * {@link java.sql.Connection} that forwards every call ({@link db.core.support.ForwardingConnection}), the
 * bookkeeping of the physical connections a pool lends ({@link db.core.support.TrackedConnections}), the
 * translation of a pool's failures into Switchboard's exceptions ({@link db.core.support.PoolFailures}),
 * statement cancellation on close, the keepalive socket factory handed to pgjdbc, a cache of SQL texts and
 * the walk over an exception's causes. Their behaviour is what the engine relies on; their signatures may
 * change with the engine's version, so a provider module depends on the {@code db-core} of its release.
 */
package db.core.support;
