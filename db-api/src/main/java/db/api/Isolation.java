package db.api;

import java.sql.Connection;

/** Transaction isolation levels PostgreSQL implements. */
public enum Isolation {
    /** Keep the connection's default (PostgreSQL's is READ COMMITTED). */
    DEFAULT(-1),
    /** READ COMMITTED. */
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    /** REPEATABLE READ (snapshot isolation). */
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    /** SERIALIZABLE: may fail with {@link SerializationFailureException}; retry it. */
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    Isolation(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /** {@return the {@link Connection} constant, or -1 for {@link #DEFAULT}} */
    public int jdbcLevel() {
        return jdbcLevel;
    }
}
