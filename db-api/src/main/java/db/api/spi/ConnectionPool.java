package db.api.spi;

import db.api.PoolStats;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A started pool, as a {@link SessionProvider} returns it. Thread-safe.
 */
public interface ConnectionPool extends AutoCloseable {

    /** The pool's name, unique in the JVM. */
    String name();

    /**
     * Lends a connection, waiting at most the checkout timeout. Closing the returned connection
     * gives it back. The core resets autocommit, isolation and read-only before giving it back.
     *
     * @throws db.api.PoolExhaustedException when none became free in time; the message names the
     *                                       pool, its max size, the busy count and the wait
     * @throws db.api.PoolClosedException    when the pool is closed
     * @throws SQLException                  when a new connection could not be made
     */
    Connection borrow() throws SQLException;

    /** A snapshot of the pool's counters. Cheap; never blocks on a checkout. */
    PoolStats stats();

    /**
     * Drains the pool: idle connections close at once, lent ones when given back or after a
     * bounded grace period. Idempotent.
     */
    @Override
    void close();
}
