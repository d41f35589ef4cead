package db.api;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A connection lent from the pool, for one repository call or one transaction. Not thread-safe.
 *
 * <p>Sessions from {@link Database#openSession()} are in autocommit mode; sessions handed to
 * {@link Database#inTransaction(TransactionWork)} are inside the transaction. Every statement run
 * through the session, including through {@link #connection()}, is instrumented and every
 * {@link java.sql.SQLException} from the helpers is mapped to a {@link DataAccessException}.
 *
 * <p>{@link #close()} gives the connection back clean: an open transaction is rolled back, every JDBC
 * property the session changed is restored, and SQL-level session state its statements changed
 * ({@code SET}, {@code SET ROLE}, temporary tables, advisory locks, {@code LISTEN}, {@code PREPARE},
 * cursors {@code WITH HOLD}) is reset, or the connection is discarded (see {@code db.pool.reset}).
 * Inside a transaction the core manages, closing the session or its {@link #connection()} does not end
 * the transaction: the core commits or rolls back when the work returns.
 */
public interface Session extends AutoCloseable {

    /**
     * The instrumented JDBC connection, for repositories and libraries that want JDBC. Every statement,
     * result set and metadata object it hands out leads back to it, never to the pool's connection.
     * Closing it in autocommit mode closes the session; inside a managed transaction it only closes this
     * handle (the next call returns a new one on the same connection).
     *
     * @return the session's instrumented connection
     */
    Connection connection();

    /**
     * Runs a statement with bind parameters ({@code ?}), never concatenated: INSERT, UPDATE, DELETE,
     * DDL, or anything else. Returns the update count, or -1 when the statement returned rows.
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @param params the bind parameters, in placeholder order
     * @return the update count, or -1 when the statement returned rows
     */
    int execute(String sql, Object... params);

    /**
     * Runs a statement once per parameter set, as one JDBC batch; returns the update counts.
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @param paramSets one array of bind parameters per execution, in placeholder order
     * @return the update count of each execution, in order
     */
    int[] executeBatch(String sql, List<Object[]> paramSets);

    /**
     * Runs a query with bind parameters and maps every row.
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @param mapper turns the current row into a value
     * @param params the bind parameters, in placeholder order
     * @param <T> the type of the result
     * @return the mapped rows, in the order the server sent them; empty when there are none
     */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs a query expected to return at most one row. Empty means "no row", never "a row the mapper
     * turned into null": that case throws, because an {@link Optional} cannot carry it (use
     * {@link #querySingle} for values that may be {@code null}, such as {@code select max(x)}).
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @param mapper turns the current row into a value
     * @param params the bind parameters, in placeholder order
     * @param <T> the type of the result
     * @return the mapped row, or empty when there is none
     * @throws IncorrectResultSizeException when it returns more than one
     * @throws IllegalStateException        when the mapper returns {@code null} for the row
     */
    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs a query expected to return exactly one row and returns what the mapper made of it, which may
     * be {@code null}.
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @param mapper turns the current row into a value
     * @param params the bind parameters, in placeholder order
     * @param <T> the type of the result
     * @return what the mapper made of the one row; may be {@code null}
     * @throws EmptyResultException         when it returns no row
     * @throws IncorrectResultSizeException when it returns more than one
     */
    <T> T querySingle(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Streams a large result instead of loading it into a list: rows are fetched {@code fetchSize} at a
     * time from a server-side cursor when the session is inside a transaction (pgjdbc needs one for a
     * cursor; in autocommit mode the driver reads the whole result first). The stream holds a statement
     * open: close it, with try-with-resources; the session closes any left open when it closes. A failure
     * while reading is thrown mapped from the stream's terminal operation.
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @param fetchSize how many rows to fetch per round trip
     * @param mapper turns the current row into a value
     * @param params the bind parameters, in placeholder order
     * @param <T> the type of the result
     * @return the mapped rows, lazily; close the stream to release the statement
     */
    <T> Stream<T> stream(String sql, int fetchSize, RowMapper<T> mapper, Object... params);

    /**
     * Runs an {@code INSERT} (or {@code UPDATE}) without a {@code RETURNING} clause and maps the rows it
     * wrote, as the driver reports them as generated keys (pgjdbc appends {@code RETURNING *}, so the
     * mapper may read any column, such as {@code row.getLong("id")}).
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     * @param keyMapper turns each written row (as generated keys) into a value
     * @param params the bind parameters, in placeholder order
     * @param <T> the type of the result
     * @return the mapped rows the statement wrote, in order
     */
    <T> List<T> executeAndReturnKeys(String sql, RowMapper<T> keyMapper, Object... params);

    /** {@return whether this session is inside a transaction the core manages} */
    boolean inTransaction();

    /**
     * Runs {@code work} inside a {@code SAVEPOINT} of the open transaction: when it returns the
     * savepoint is released; when it throws, the transaction rolls back to the savepoint (what the work
     * did is undone, what ran before it is kept and the transaction is usable again) and the exception is
     * rethrown mapped. For "insert, and on {@link DuplicateKeyException} update instead" in one
     * transaction. A nested {@link Database#inTransaction(TransactionWork)} does the same.
     *
     * @param work the unit of work; it gets a session whose transaction is open
     * @param <T> the type of the result
     * @return what {@code work} returned, once the savepoint was released
     * @throws IllegalStateException when the session is in autocommit mode (no transaction is open)
     */
    <T> T inSavepoint(TransactionWork<T> work);

    /**
     * Like {@link #inSavepoint(TransactionWork)} for work that returns nothing.
     *
     * @param work the work to run inside the savepoint
     */
    default void runInSavepoint(TransactionAction work) {
        java.util.Objects.requireNonNull(work, "work");
        inSavepoint(session -> {
            work.run(session);
            return null;
        });
    }

    /** Gives the connection back to the pool. Idempotent. */
    @Override
    void close();
}
