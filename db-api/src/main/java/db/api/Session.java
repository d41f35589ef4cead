package db.api;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * A connection lent from the pool, for one repository call or one transaction. Not thread-safe.
 *
 * <p>Sessions from {@link Database#openSession()} are in autocommit mode; sessions handed to
 * {@link Database#inTransaction(TransactionWork)} are inside the transaction. Every statement run
 * through the session, including through {@link #connection()}, is instrumented and every
 * {@link java.sql.SQLException} from the helpers is mapped to a {@link DataAccessException}.
 *
 * <p>{@link #close()} gives the connection back clean: an open transaction is rolled back and
 * autocommit, isolation and read-only are restored.
 */
public interface Session extends AutoCloseable {

    /**
     * The instrumented JDBC connection, for repositories and libraries that want JDBC. Do not
     * close it (closing it is harmless: it only closes the session).
     */
    Connection connection();

    /**
     * Runs a statement with bind parameters ({@code ?}), never concatenated: INSERT, UPDATE, DELETE,
     * DDL, or anything else. Returns the update count, or -1 when the statement returned rows.
     */
    int execute(String sql, Object... params);

    /** Runs a statement once per parameter set, as one JDBC batch; returns the update counts. */
    int[] executeBatch(String sql, List<Object[]> paramSets);

    /** Runs a query with bind parameters and maps every row. */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs a query expected to return at most one row.
     *
     * @throws IncorrectResultSizeException when it returns more than one
     */
    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params);

    /** Whether this session is inside a transaction the core manages. */
    boolean inTransaction();

    /** Gives the connection back to the pool. Idempotent. */
    @Override
    void close();
}
