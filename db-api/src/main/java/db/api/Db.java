package db.api;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process-wide database, for applications that want one pool started in {@code main} and
 * sessions anywhere: {@link #init(DbConfig)} at startup, {@link #session()} or
 * {@link #inTransaction(TransactionWork)} in repositories, {@link #close()} at shutdown.
 *
 * <p>This is the one piece of static mutable state in Switchboard. Code that can take a
 * {@link Database} as a constructor argument should prefer that.
 */
public final class Db {

    private static final AtomicReference<Database> INSTANCE = new AtomicReference<>();

    private Db() {
    }

    /**
     * Opens the process-wide database.
     *
     * @param config the configuration, validated here
     * @return the process-wide database, also returned by {@link #get()}
     * @throws IllegalStateException when it is already initialized (call {@link #close()} first)
     */
    public static Database init(DbConfig config) {
        Objects.requireNonNull(config, "config");
        Database opened = Database.open(config);
        if (!INSTANCE.compareAndSet(null, opened)) {
            opened.close();
            throw new IllegalStateException("Db is already initialized: call Db.close() before Db.init(...) again");
        }
        return opened;
    }

    /** {@return whether {@link #init(DbConfig)} was called and {@link #close()} was not} */
    public static boolean isInitialized() {
        return INSTANCE.get() != null;
    }

    /**
     * The process-wide database.
     *
     * @return the process-wide database
     * @throws PoolNotInitializedException before {@link #init(DbConfig)}
     */
    public static Database get() {
        Database db = INSTANCE.get();
        if (db == null) {
            throw new PoolNotInitializedException(
                    "Pool not initialized: call Db.init(DbConfig) at application startup before requesting a session");
        }
        return db;
    }

    /** {@return a session in autocommit mode; close it to give the connection back} */
    public static Session session() {
        return get().openSession();
    }

    /**
     * Runs {@code work} in a transaction; see {@link Database#inTransaction(TransactionWork)}.
     *
     * @param work the unit of work; it gets a session whose transaction is open
     * @param <T> the type of the result
     * @return what {@code work} returned, once the transaction committed
     */
    public static <T> T inTransaction(TransactionWork<T> work) {
        return get().inTransaction(work);
    }

    /**
     * Runs {@code work} in a transaction with options.
     *
     * @param options isolation, read-only and retry options
     * @param work the unit of work; it gets a session whose transaction is open
     * @param <T> the type of the result
     * @return what {@code work} returned, once the transaction committed
     */
    public static <T> T inTransaction(TxOptions options, TransactionWork<T> work) {
        return get().inTransaction(options, work);
    }

    /**
     * Runs {@code work} in a transaction that returns nothing.
     *
     * @param work the unit of work; it gets a session whose transaction is open
     */
    public static void runInTransaction(TransactionAction work) {
        get().runInTransaction(work);
    }

    /** Closes the process-wide database, if open. Idempotent. */
    public static void close() {
        Database db = INSTANCE.getAndSet(null);
        if (db != null) {
            db.close();
        }
    }
}
