package db.api;

import db.api.internal.Discovery;
import db.api.spi.DatabaseEngine;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import javax.sql.DataSource;

/**
 * An open database: a started pool plus the error mappers and instrumenters found with
 * {@link java.util.ServiceLoader}. Thread-safe; open one per database at startup and close it at
 * shutdown. For a process-wide instance see {@link Db}.
 *
 * <pre>{@code
 * try (Database db = Database.open(DbConfig.fromEnvironment())) {
 *     long id = db.inTransaction(s -> s.queryOne("insert into t(x) values (?) returning id",
 *             row -> row.getLong(1), 42).orElseThrow());
 * }
 * }</pre>
 */
public interface Database extends AutoCloseable {

    /**
     * Validates the configuration, discovers the providers visible to {@code db.api} and starts the
     * pool. With fail-fast (the default) a database that does not answer fails here with a
     * {@link ConnectionException} naming host, port, database and user.
     *
     * @param config the configuration, validated here
     * @return the open database; close it at shutdown
     * @throws ConfigException     when no or several session providers are found without a choice
     * @throws IllegalStateException when no engine (module {@code db.core}, which the pool modules bring) is found
     * @throws ConnectionException when the database cannot be reached (fail-fast)
     */
    static Database open(DbConfig config) {
        Objects.requireNonNull(config, "config");
        return open(config, new Discovery(null));
    }

    /**
     * Like {@link #open(DbConfig)}, discovering only the providers defined in {@code layer} (not its
     * parents'), so different layers can run different implementations side by side.
     *
     * @param config the configuration, validated here
     * @param layer the layer whose own modules provide the implementations
     * @return the open database; close it at shutdown
     */
    static Database open(DbConfig config, ModuleLayer layer) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(layer, "layer");
        return open(config, new Discovery(layer));
    }

    private static Database open(DbConfig config, Discovery discovery) {
        // the engine first: without it, no provider could run, and its message names the module to add
        DatabaseEngine engine = engine(discovery.layer());
        return engine.open(config, discovery.select(config));
    }

    /**
     * The engine: the first {@link DatabaseEngine} found (in {@code layer}, else its parents: a layer's pool
     * module may read the {@code db.core} of a parent layer), else the class loaders' first.
     */
    private static DatabaseEngine engine(ModuleLayer layer) {
        try {
            ServiceLoader<DatabaseEngine> loader = layer == null ? ServiceLoader.load(DatabaseEngine.class)
                    : ServiceLoader.load(layer, DatabaseEngine.class);
            return loader.findFirst().orElseThrow(() -> new IllegalStateException("No Switchboard engine found"
                    + (layer == null ? "" : " in the given module layer or its parents") + ". Add module db.core to "
                    + "the module path (or class path): the Maven dependency dev.switchboard:db-core, which a pool "
                    + "module such as dev.switchboard:db-pool-c3p0 brings. db.api looks for an implementation of "
                    + DatabaseEngine.class.getName() + " with ServiceLoader."));
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("The Switchboard engine could not be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * A session in autocommit mode. Close it (try-with-resources) to give the connection back.
     *
     * @return a session in autocommit mode, holding one connection until closed
     * @throws PoolExhaustedException when no connection became free within the checkout timeout
     * @throws PoolClosedException    when this database is closed
     */
    Session openSession();

    /**
     * A read-only session in autocommit mode. With read routing ({@code db.replica.url}) it runs on a standby
     * in rotation, else (or when none is, with {@code db.replica.fallback=primary}) on the primary; the
     * connection is read-only either way, so a write fails with SQLSTATE 25006.
     *
     * @return a read-only session in autocommit mode, holding one connection until closed
     * @throws ConnectionException when no standby is in rotation and {@code db.replica.fallback=fail}
     */
    Session openReadOnlySession();

    /**
     * Runs {@code work} in a transaction: commit when it returns, rollback when it throws. The
     * exception is rethrown mapped (a checked exception is wrapped in a {@link DataAccessException}).
     *
     * <p>Called on a thread that already runs a transaction of this database, it joins that transaction
     * through a savepoint instead of taking a second connection: the inner work's failure rolls back to
     * the savepoint and is rethrown; only the outermost level commits and retries. Options that conflict
     * with the open transaction (another isolation, read-write inside read-only) throw
     * {@link IllegalStateException}.
     *
     * @param work the unit of work; it gets a session whose transaction is open
     * @param <T> the type of the result
     * @return what {@code work} returned, once the transaction committed
     */
    default <T> T inTransaction(TransactionWork<T> work) {
        return inTransaction(TxOptions.DEFAULTS, work);
    }

    /**
     * Like {@link #inTransaction(TransactionWork)} with isolation, read-only and retry options.
     *
     * @param options isolation, read-only and retry options
     * @param work the unit of work; it gets a session whose transaction is open
     * @param <T> the type of the result
     * @return what {@code work} returned, once the transaction committed
     */
    <T> T inTransaction(TxOptions options, TransactionWork<T> work);

    /**
     * Runs {@code work} in a transaction that returns nothing.
     *
     * @param work the unit of work; it gets a session whose transaction is open
     */
    default void runInTransaction(TransactionAction work) {
        runInTransaction(TxOptions.DEFAULTS, work);
    }

    /**
     * Runs {@code work} in a transaction that returns nothing, with options.
     *
     * @param options isolation, read-only and retry options
     * @param work the unit of work; it gets a session whose transaction is open
     */
    default void runInTransaction(TxOptions options, TransactionAction work) {
        Objects.requireNonNull(work, "work");
        inTransaction(options, session -> {
            work.run(session);
            return null;
        });
    }

    /**
     * The transactions of this database bound to threads, for frameworks that begin, commit and roll back
     * transactions themselves (the Spring Boot starter's transaction manager): a transaction begun there is
     * joined by {@link #inTransaction(TransactionWork)} on the same thread through a savepoint, and one
     * {@code inTransaction} runs is visible there, so that the framework's work can join it.
     *
     * @return this database's thread-bound transactions
     */
    db.api.spi.ThreadTransactions threadTransactions();

    /**
     * An instrumented {@link DataSource} view of the pool, for Flyway, jOOQ or Jdbi. Its
     * connections are sessions in autocommit mode: closing one gives it back.
     *
     * @return a {@link DataSource} over this database's pool
     */
    DataSource dataSource();

    /**
     * Maps a {@link java.sql.SQLException} that JDBC code outside Switchboard's sessions met (a framework's
     * template, a transaction manager) with this database's error mappers, as a session would: the result
     * carries {@code sqlState()}, {@code isRetryable()}, the constraint and table names, and {@code e} as its
     * cause; its message has no row values unless {@code db.errors.include-detail} is set.
     *
     * @param e the driver's exception
     * @return the mapped exception, with {@code e} as its cause
     */
    DataAccessException translate(java.sql.SQLException e);

    /** {@return the (primary) pool's statistics now} */
    PoolStats stats();

    /**
     * Every pool with its role: the primary's first, then, with read routing ({@code db.replica.url}), one
     * per standby with whether it is in rotation, its replay lag and why not.
     *
     * @return the pools, the primary's first
     */
    java.util.List<PoolStatus> pools();

    /**
     * A bounded round trip for readiness probes: never blocks longer than
     * {@code min(checkout timeout, 5s)}, even when the pool is exhausted.
     *
     * @return the outcome of the round trip, with the pools' state
     */
    Health health();

    /**
     * Changes the pool's bounds at runtime (psycopg_pool's {@code resize}): growing serves waiters at
     * once; shrinking closes idle connections above the new maximum now and lent ones as they come back.
     *
     * @param minSize the new minimum number of connections kept open
     * @param maxSize the new maximum number of connections
     * @throws IllegalArgumentException unless {@code 0 <= minSize <= maxSize} and {@code maxSize >= 1}
     */
    void resize(int minSize, int maxSize);

    /**
     * Retires every connection (HikariCP's {@code softEvictConnections}): idle ones close now, lent ones
     * when given back; later sessions get new connections. For credential rotation, a DNS change, a failover.
     */
    void evictAll();

    /**
     * Holds new checkouts (HikariCP's {@code suspendPool}): they wait, bounded by the checkout timeout, and
     * no new connection is opened until {@link #resume()}. Open sessions carry on. For a planned switchover.
     */
    void pause();

    /** Ends {@link #pause()}: the waiting checkouts are served in arrival order. */
    void resume();

    /** {@return the providers selected at open} */
    Providers providers();

    /** {@return the configuration this database was opened with} */
    DbConfig config();

    /** Drains the pool. Idempotent; sessions requested afterwards fail with {@link PoolClosedException}. */
    @Override
    void close();
}
