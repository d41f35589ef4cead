package db.core.engine;

import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.Isolation;
import db.api.Session;
import db.api.TransactionOutcomeUnknownException;
import db.api.TransactionStateException;
import db.api.TransactionWork;
import db.api.TxOptions;
import db.api.spi.BoundTransaction;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import db.api.spi.TransactionContext;
import db.api.spi.ThreadTransactions;
import db.api.spi.TransactionObservation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Every transaction the core runs, in one place: {@link #run} decides outermost or nested;
 * {@link #outermost} is the retry loop; {@link #attempt} borrows a session and runs
 * {@link #begin} → work → {@link #commit} or {@link #rollback}; {@link #nested} joins the open
 * transaction through a savepoint (psycopg's nested transaction blocks). A framework that demarcates
 * transactions itself (Spring's transaction manager) begins, commits and rolls back through
 * {@link ThreadTransactions}, on the same {@link #start} / {@link #commit} / {@link #rollback} paths, so that
 * observations and tracing are the same. Thread-safe: the open transaction is tracked per thread and per
 * database.
 */
final class Transactions implements ThreadTransactions {
    private static final Logger LOG = LogManager.getLogger(Transactions.class);

    private final Core core;
    /** The outermost transaction this thread has open on this database (one {@code inTransaction} or a framework began). */
    @SuppressWarnings("ThreadLocalUsage") // one per database on purpose: a thread may hold one open in each
    private final ThreadLocal<Bound> open = new ThreadLocal<>();

    Transactions(Core core) {
        this.core = core;
    }

    /** Runs {@code work} in a transaction: a new one, or a savepoint of the one this thread has open. */
    <T> T run(TxOptions options, TransactionWork<T> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        Bound outer = open.get();
        if (outer != null) {
            return nested(outer, options, work);
        }
        return outermost(options, work);
    }

    /** One branch without instrumenters; instrumenters are told about the whole transaction. */
    private TransactionObservation observe(TxOptions options, int maxAttempts) {
        QueryHooks hooks = core.hooks();
        if (hooks.off()) {
            return TransactionObservation.NOOP;
        }
        TransactionContext context = new TransactionContext(options.isolation(), options.readOnly(), maxAttempts,
                Instant.now());
        return options.readOnly() && core.routesReads() ? new ByLender(hooks, context)
                : hooks.beginTransaction(context);
    }

    /** Retries happen here only: a nested failure reaches this loop through the outer work. */
    private <T> T outermost(TxOptions options, TransactionWork<T> work) {
        TransactionObservation observed = observe(options, options.maxAttempts());
        int attempt = 1;
        try {
            for (; ; attempt++) {
                try {
                    T result = attempt(options, work, observed);
                    observed.end(TransactionObservation.Outcome.COMMITTED, attempt, null);
                    return result;
                } catch (DataAccessException failure) {
                    if (attempt >= options.maxAttempts() || !options.shouldRetry(failure)) {
                        throw failure;
                    }
                    Duration pause = options.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                    LOG.debug("Transaction attempt {} of {} failed with SQLSTATE {} ({}); retrying in {} ms", attempt,
                            options.maxAttempts(), failure.sqlState(), failure.getClass().getSimpleName(),
                            pause.toMillis());
                    observed.retry(attempt, failure, pause);
                    sleep(pause, failure);
                }
            }
        } catch (RuntimeException | Error failure) {
            observed.end(failure instanceof TransactionOutcomeUnknownException
                    ? TransactionObservation.Outcome.UNKNOWN : TransactionObservation.Outcome.ROLLED_BACK,
                    attempt, failure);
            throw failure;
        }
    }

    private <T> T attempt(TxOptions options, TransactionWork<T> work, TransactionObservation observed) {
        Bound tx = start(options, observed, false);
        try {
            T result;
            try {
                result = work.run(tx.session);
            } catch (Throwable failure) {
                throw tx.failed(failure);
            } finally {
                open.remove();
            }
            if (tx.rollbackOnly) {
                // A participant (a framework's transaction joined to this one) failed and its exception was caught.
                TransactionStateException marked = new TransactionStateException("The transaction was rolled back "
                        + "because a participating transaction marked it rollback-only");
                rollback(tx.session, marked, observed);
                throw marked;
            }
            commit(tx.session, observed);
            return result;
        } finally {
            tx.finish();
        }
    }

    /**
     * Borrows a session (read-only work goes to a standby when read routing is on; everything else to the
     * primary), begins the transaction on it and binds it to this thread.
     */
    private Bound start(TxOptions options, TransactionObservation observed, boolean external) {
        SessionImpl session = core.borrowSession(options.readOnly());
        try {
            if (observed instanceof ByLender byLender) {
                byLender.lent(session.hooks());
            }
            begin(session, options);
        } catch (Throwable failure) {
            session.endManaged();
            session.release();
            throw failure;
        }
        Bound tx = new Bound(session, options, observed, external);
        open.set(tx);
        return tx;
    }

    // ---- for frameworks that demarcate transactions themselves ----

    @Override
    public BoundTransaction begin(TxOptions options) {
        Objects.requireNonNull(options, "options");
        if (open.get() != null) {
            throw new IllegalStateException("This thread already has a transaction of this database bound; join "
                    + "it, or suspend it before beginning an independent one");
        }
        // Never retried here, so observed as a transaction of one attempt.
        TransactionObservation observed = observe(options, 1);
        try {
            return start(options, observed, true);
        } catch (RuntimeException | Error failure) {
            observed.end(TransactionObservation.Outcome.ROLLED_BACK, 1, failure);
            throw failure;
        }
    }

    @Override
    public Optional<BoundTransaction> current() {
        return Optional.ofNullable(open.get());
    }

    @Override
    public Optional<BoundTransaction> suspend() {
        Bound tx = open.get();
        if (tx == null) {
            return Optional.empty();
        }
        open.remove();
        tx.suspended = true;
        return Optional.of(tx);
    }

    @Override
    public void resume(BoundTransaction transaction) {
        Objects.requireNonNull(transaction, "transaction");
        if (!(transaction instanceof Bound tx) || tx.owner() != this || !tx.suspended || tx.completed) {
            throw new IllegalStateException("Only a suspended, unfinished transaction of this database can be "
                    + "resumed: " + transaction);
        }
        if (open.get() != null) {
            throw new IllegalStateException("This thread has another transaction of this database bound; end it "
                    + "before resuming the suspended one");
        }
        tx.suspended = false;
        open.set(tx);
    }

    /**
     * The outermost transaction on one session: begun by {@link #attempt} (inTransaction) or by a framework
     * ({@link #begin}). Used on its thread only.
     */
    private final class Bound implements BoundTransaction {
        private final SessionImpl session;
        private final TxOptions options;
        private final TransactionObservation observed;
        private final boolean external;
        private boolean rollbackOnly;
        private boolean suspended;
        private boolean completed;

        Bound(SessionImpl session, TxOptions options, TransactionObservation observed, boolean external) {
            this.session = session;
            this.options = options;
            this.observed = observed;
            this.external = external;
        }

        Transactions owner() {
            return Transactions.this;
        }

        @Override
        public TxOptions options() {
            return options;
        }

        @Override
        public boolean external() {
            return external;
        }

        @Override
        public Session session() {
            return session;
        }

        @Override
        public Connection connection() {
            return session.connection();
        }

        @Override
        public void setRollbackOnly() {
            rollbackOnly = true;
        }

        @Override
        public boolean isRollbackOnly() {
            return rollbackOnly;
        }

        @Override
        public boolean completed() {
            return completed;
        }

        /** The work failed: rolls back and returns what the caller receives, mapped (failover reclassified). */
        RuntimeException failed(Throwable failure) {
            Transactions.rollback(session, failure, observed);
            RuntimeException mapped = session.unchecked(failure, "transaction");
            if (!options.readOnly()) {
                // 25006 from a server that is a standby now (failover): retryable, and the pool evicted.
                mapped = Failover.reclassify(mapped, session.physical(), () -> {
                    session.markBroken();
                    core.evictPrimary();
                });
            }
            return mapped;
        }

        @Override
        public void commit() {
            requireExternal("commit");
            if (completed) {
                throw new IllegalStateException("The transaction already ended");
            }
            try {
                if (rollbackOnly) {
                    TransactionStateException marked = new TransactionStateException("The transaction was marked "
                            + "rollback-only; it was rolled back instead of committed");
                    Transactions.rollback(session, marked, observed);
                    throw marked;
                }
                Transactions.commit(session, observed);
                observed.end(TransactionObservation.Outcome.COMMITTED, 1, null);
            } catch (RuntimeException | Error failure) {
                observed.end(failure instanceof TransactionOutcomeUnknownException
                        ? TransactionObservation.Outcome.UNKNOWN : TransactionObservation.Outcome.ROLLED_BACK,
                        1, failure);
                throw failure;
            } finally {
                finish();
            }
        }

        @Override
        public void rollback() {
            requireExternal("rollback");
            if (completed) {
                return;
            }
            Exception met;
            try {
                met = Transactions.rollback(session, observed);
            } finally {
                finish();
                observed.end(TransactionObservation.Outcome.ROLLED_BACK, 1, null);
            }
            if (met instanceof SQLException sql) {
                throw session.translate(sql);
            }
            if (met != null) {
                throw new TransactionStateException("ROLLBACK failed: " + met.getClass().getName(), met);
            }
        }

        private void requireExternal(String what) {
            if (!external) {
                throw new IllegalStateException("This transaction is run by Database.inTransaction, which ends it "
                        + "when its work returns; " + what + " is not the caller's to call (setRollbackOnly is)");
            }
        }

        /** The transaction is over: unbound, and the session given back clean. */
        void finish() {
            if (completed) {
                return;
            }
            completed = true;
            if (open.get() == this) {
                open.remove();
            }
            session.endManaged();
            session.release();
        }

        @Override
        public String toString() {
            return "BoundTransaction[" + (external ? "external" : "inTransaction") + ", " + options
                    + (rollbackOnly ? ", rollback-only" : "") + (completed ? ", completed" : suspended ? ", suspended"
                    : "") + "]";
        }
    }

    /**
     * The observation of read-only work that read routing may send to a standby: begun on the hooks of the
     * pool that lent the first attempt's connection, so that a standby's instrumentation (its pool name,
     * role and host) reports what ran there; on the primary's when no connection was lent before it was
     * needed (a failed checkout). Begun late, it still starts at {@link TransactionContext#startedAt()}, so
     * the wait for that connection is part of it, as it is of a transaction on the primary. Used on the
     * transaction's thread only.
     */
    private static final class ByLender implements TransactionObservation {
        private final QueryHooks primary;
        private final TransactionContext context;
        private TransactionObservation begun;

        ByLender(QueryHooks primary, TransactionContext context) {
            this.primary = primary;
            this.context = context;
        }

        /** An attempt got a connection from the pool with {@code hooks}: the first one decides. */
        void lent(QueryHooks hooks) {
            if (begun == null) {
                begun = hooks.off() ? TransactionObservation.NOOP : hooks.beginTransaction(context);
            }
        }

        private TransactionObservation begun() {
            lent(primary);
            return begun;
        }

        @Override
        public void retry(int attempt, DataAccessException failure, Duration backoff) {
            begun().retry(attempt, failure, backoff);
        }

        @Override
        public QueryObservation beforeCommit(DatabaseTarget server) {
            return begun().beforeCommit(server);
        }

        @Override
        public QueryObservation beforeRollback(DatabaseTarget server) {
            return begun().beforeRollback(server);
        }

        @Override
        public void end(Outcome outcome, int attempts, Throwable failure) {
            begun().end(outcome, attempts, failure);
        }
    }

    /**
     * Opens the transaction. Autocommit off costs nothing (pgjdbc sends {@code BEGIN} with the first
     * statement); isolation and read-only go in one {@code SET TRANSACTION} that travels with that
     * {@code BEGIN}: one extra round trip at most, and nothing to restore afterwards.
     */
    private static void begin(SessionImpl session, TxOptions options) {
        try {
            session.state().setAutoCommit(false);
        } catch (SQLException e) {
            throw session.translate(session.failed(e));
        }
        session.beginManaged();
        String characteristics = characteristics(options.isolation(), options.readOnly());
        if (characteristics != null) {
            session.runControl(characteristics);
        }
    }

    static String characteristics(Isolation isolation, boolean readOnly) {
        String level = switch (isolation) {
            case DEFAULT -> null;
            case READ_COMMITTED -> "READ COMMITTED";
            case REPEATABLE_READ -> "REPEATABLE READ";
            case SERIALIZABLE -> "SERIALIZABLE";
        };
        if (level == null && !readOnly) {
            return null;
        }
        StringBuilder sql = new StringBuilder("SET TRANSACTION");
        if (level != null) {
            sql.append(" ISOLATION LEVEL ").append(level);
        }
        if (readOnly) {
            sql.append(level != null ? "," : "").append(" READ ONLY");
        }
        return sql.toString();
    }

    private static void commit(SessionImpl session, TransactionObservation observed) {
        QueryObservation commit = observed.beforeCommit(session.hooks().server(session));
        try {
            session.physical().commit();
        } catch (SQLException e) {
            DataAccessException mapped = session.translate(session.failed(e));
            if (mapped instanceof ConnectionException) {
                // COMMIT may have reached the server before the connection broke: retrying could apply
                // the work twice, so say so instead.
                TransactionOutcomeUnknownException unknown = new TransactionOutcomeUnknownException(
                        "The connection failed while COMMIT was in flight "
                        + "(SQLSTATE " + mapped.sqlState() + "): the transaction may or may not have committed. "
                        + "It is not retried; check the data before running it again.", e, mapped.details());
                commit.end(new QueryOutcome(-1, e, unknown, true));
                throw unknown;
            }
            commit.end(new QueryOutcome(-1, e, mapped, true));
            throw mapped;
        } catch (RuntimeException | Error e) {
            commit.end(new QueryOutcome(-1, new SQLException("driver failed: " + e.getClass().getName(), null, e),
                    null, false));
            throw e;
        }
        commit.end(QueryOutcome.success(-1));
    }

    /** Rolls back; a failure of the ROLLBACK itself reaches the caller as a suppressed one of the work's {@code failure}. */
    private static void rollback(SessionImpl session, Throwable failure, TransactionObservation observed) {
        Exception met = rollback(session, observed);
        if (met != null) {
            failure.addSuppressed(met);
        }
    }

    /** Rolls back; returns what the ROLLBACK failed with, or null. */
    private static Exception rollback(SessionImpl session, TransactionObservation observed) {
        QueryObservation rollback = observed.beforeRollback(session.hooks().server(session));
        try {
            session.physical().rollback();
            rollback.end(QueryOutcome.success(-1));
            return null;
        } catch (SQLException e) {
            session.failed(e);
            rollback.end(new QueryOutcome(-1, e, null, false));
            return e;
        } catch (RuntimeException e) {
            rollback.end(new QueryOutcome(-1, new SQLException("driver failed: " + e.getClass().getName(), null, e),
                    null, false));
            return e;
        }
    }

    /**
     * Joins the open transaction through a savepoint: its failure rolls back to the savepoint and is
     * rethrown (the outer work may catch it and go on); it is never retried here.
     */
    private static <T> T nested(Bound outer, TxOptions options, TransactionWork<T> work) {
        TxOptions outerOptions = outer.options();
        if (options.isolation() != Isolation.DEFAULT && options.isolation() != outerOptions.isolation()) {
            throw new IllegalStateException("A nested transaction asks for isolation " + options.isolation()
                    + " but joins a transaction running at " + describe(outerOptions.isolation())
                    + "; nested transactions are savepoints of the outer one and cannot change its isolation");
        }
        if (outerOptions.readOnly() && !options.readOnly()) {
            throw new IllegalStateException("A nested read-write transaction cannot join a read-only transaction; "
                    + "mark the nested one read-only or make the outer one read-write");
        }
        return outer.session.inSavepoint(work);
    }

    private static String describe(Isolation isolation) {
        return isolation == Isolation.DEFAULT ? "the connection's default isolation" : isolation.toString();
    }

    private static void sleep(Duration pause, DataAccessException failure) {
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
