package db.core.engine;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.spi.Instrumentation;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import db.api.spi.TransactionContext;
import db.api.spi.TransactionObservation;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What the JDBC wrappers call around every execution: the instrumentations, in order, and the error
 * translator for the mapped exception they are told about. Immutable; one per database.
 *
 * <p>With no instrumentation, {@link #off()} is true and the wrappers call the driver directly: the
 * whole cost is that one branch.
 */
final class QueryHooks {
    private static final Logger LOG = LogManager.getLogger(QueryHooks.class);

    private final Instrumentation[] instrumentations;
    private final boolean off;
    private final boolean rewrites;
    private final ErrorTranslator translator;
    private final TransactionPoolerGuard guard;
    /** Which host of the pool's URL a session's connection is on; null: the instrumentations' target. */
    private final ConnectionServers servers;

    QueryHooks(List<Instrumentation> instrumentations, ErrorTranslator translator, boolean rewrites) {
        this(instrumentations, translator, rewrites, null, null);
    }

    /**
     * With {@code guard} (behind a transaction pooler) every statement's text is checked before it is sent;
     * with {@code servers} every statement is told the host its connection is on.
     */
    QueryHooks(List<Instrumentation> instrumentations, ErrorTranslator translator, boolean rewrites,
               TransactionPoolerGuard guard, ConnectionServers servers) {
        this.instrumentations = instrumentations.toArray(Instrumentation[]::new);
        this.off = this.instrumentations.length == 0 && guard == null;
        this.translator = translator;
        this.rewrites = rewrites;
        this.guard = guard;
        this.servers = servers;
    }

    /** Whether there is nothing to call: the wrappers then go straight to the driver. */
    boolean off() {
        return off;
    }

    ErrorTranslator translator() {
        return translator;
    }

    /** Lets instrumentations annotate SQL text (sqlcommenter); a no-op unless one overrides it. */
    String rewrite(String sql) throws SQLException {
        if (guard != null) {
            guard.check(sql);
        }
        if (!rewrites) {
            return sql;
        }
        String result = sql;
        for (Instrumentation instrumentation : instrumentations) {
            try {
                result = instrumentation.rewrite(result);
            } catch (RuntimeException e) {
                LOG.warn("Instrumentation {} failed to rewrite a statement; sent unchanged", instrumentation, e);
            }
        }
        return result;
    }

    /**
     * Runs {@code call} between {@code beforeQuery} and {@code end} of every instrumentation.
     * The driver's exception is rethrown unchanged (JDBC callers expect {@link SQLException}); the
     * instrumentations see it mapped by {@code session}, which keeps the mapped object so that the
     * exception the application catches is the one the instrumentations recorded.
     */
    <T> T run(SessionImpl session, String sql, boolean parameterized, int batchSize, int queryTimeoutSeconds,
              JdbcCall<T> call, ToLongFunction<T> rows) throws SQLException {
        return run(session, new QueryContext(sql, parameterized, batchSize, batchSize > 0, server(session)),
                queryTimeoutSeconds, call, rows);
    }

    /** As {@link #run(SessionImpl, String, boolean, int, int, JdbcCall, ToLongFunction)} for an {@code executeBatch} call. */
    <T> T runBatch(SessionImpl session, String sql, boolean parameterized, int batchSize, int queryTimeoutSeconds,
                   JdbcCall<T> call, ToLongFunction<T> rows) throws SQLException {
        return run(session, new QueryContext(sql, parameterized, batchSize, true, server(session)), queryTimeoutSeconds,
                call, rows);
    }

    /**
     * The host of the session's connection as these hooks tell instrumentations (null: their target, or none):
     * looked up once per session, and only with a multi-host URL.
     */
    DatabaseTarget server(SessionImpl session) {
        if (servers == null || instrumentations.length == 0) {
            return null;
        }
        return servers.multiHost() ? session.server(servers) : servers.first();
    }

    private <T> T run(SessionImpl session, QueryContext context, int queryTimeoutSeconds, JdbcCall<T> call,
                      ToLongFunction<T> rows) throws SQLException {
        QueryObservation[] observations = new QueryObservation[instrumentations.length];
        for (int i = 0; i < instrumentations.length; i++) {
            observations[i] = begin(instrumentations[i], context);
        }
        long start = System.nanoTime();
        T result;
        try {
            result = call.call();
        } catch (SQLException e) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            // Mapped once, by the session, which hands this same object to the application later.
            DataAccessException mapped = session.translate(e, translator.context(elapsed, queryTimeoutSeconds));
            finish(observations, new QueryOutcome(-1, e, mapped, session.callerGetsMapped()));
            throw e;
        } catch (RuntimeException | Error e) {
            SQLException wrapped = new SQLException("driver failed: " + e.getClass().getName(), null, e);
            finish(observations, new QueryOutcome(-1, wrapped, null, false));
            throw e;
        }
        finish(observations, QueryOutcome.success(rows.applyAsLong(result)));
        return result;
    }

    /**
     * Tells every instrumentation that an outermost transaction starts. With none, {@link #off()}: the
     * caller checks that one branch and uses {@link TransactionObservation#NOOP}.
     */
    TransactionObservation beginTransaction(TransactionContext transaction) {
        if (instrumentations.length == 1) {
            return beginTransaction(instrumentations[0], transaction);
        }
        TransactionObservation[] observations = new TransactionObservation[instrumentations.length];
        for (int i = 0; i < instrumentations.length; i++) {
            observations[i] = beginTransaction(instrumentations[i], transaction);
        }
        return new Transactions(observations);
    }

    private static TransactionObservation beginTransaction(Instrumentation instrumentation,
                                                           TransactionContext transaction) {
        try {
            TransactionObservation observation = instrumentation.beginTransaction(transaction);
            return observation == null ? TransactionObservation.NOOP : new Guarded(observation);
        } catch (RuntimeException e) {
            LOG.warn("Instrumentation {} failed at the start of a transaction", instrumentation, e);
            return TransactionObservation.NOOP;
        }
    }

    /** One instrumentation's transaction observation; what it throws is logged, never passed on. */
    private record Guarded(TransactionObservation delegate) implements TransactionObservation {
        @Override
        public void retry(int attempt, DataAccessException failure, Duration backoff) {
            try {
                delegate.retry(attempt, failure, backoff);
            } catch (RuntimeException e) {
                LOG.warn("Instrumentation failed on a transaction retry", e);
            }
        }

        @Override
        public QueryObservation beforeCommit(DatabaseTarget server) {
            try {
                QueryObservation observation = delegate.beforeCommit(server);
                return observation == null ? QueryObservation.NOOP : observation;
            } catch (RuntimeException e) {
                LOG.warn("Instrumentation failed before COMMIT", e);
                return QueryObservation.NOOP;
            }
        }

        @Override
        public QueryObservation beforeRollback(DatabaseTarget server) {
            try {
                QueryObservation observation = delegate.beforeRollback(server);
                return observation == null ? QueryObservation.NOOP : observation;
            } catch (RuntimeException e) {
                LOG.warn("Instrumentation failed before ROLLBACK", e);
                return QueryObservation.NOOP;
            }
        }

        @Override
        public void end(Outcome outcome, int attempts, Throwable failure) {
            try {
                delegate.end(outcome, attempts, failure);
            } catch (RuntimeException e) {
                LOG.warn("Instrumentation failed at the end of a transaction", e);
            }
        }
    }

    /** Several instrumentations' observations: started in order, ended in reverse (nested scopes). */
    private static final class Transactions implements TransactionObservation {
        private final TransactionObservation[] all;

        Transactions(TransactionObservation[] all) {
            this.all = all;
        }

        @Override
        public void retry(int attempt, DataAccessException failure, Duration backoff) {
            for (TransactionObservation o : all) {
                o.retry(attempt, failure, backoff);
            }
        }

        @Override
        public QueryObservation beforeCommit(DatabaseTarget server) {
            QueryObservation[] observations = new QueryObservation[all.length];
            for (int i = 0; i < all.length; i++) {
                observations[i] = all[i].beforeCommit(server);
            }
            return outcome -> finish(observations, outcome);
        }

        @Override
        public QueryObservation beforeRollback(DatabaseTarget server) {
            QueryObservation[] observations = new QueryObservation[all.length];
            for (int i = 0; i < all.length; i++) {
                observations[i] = all[i].beforeRollback(server);
            }
            return outcome -> finish(observations, outcome);
        }

        @Override
        public void end(Outcome outcome, int attempts, Throwable failure) {
            for (int i = all.length - 1; i >= 0; i--) {
                all[i].end(outcome, attempts, failure);
            }
        }
    }

    void poolEvent(PoolEvent event) {
        for (Instrumentation instrumentation : instrumentations) {
            try {
                instrumentation.poolEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Instrumentation {} failed on a pool event", instrumentation, e);
            }
        }
    }

    private static QueryObservation begin(Instrumentation instrumentation, QueryContext context) {
        try {
            QueryObservation observation = instrumentation.beforeQuery(context);
            return observation == null ? QueryObservation.NOOP : observation;
        } catch (RuntimeException e) {
            // An instrumenter must never break the application's query.
            LOG.warn("Instrumentation {} failed before a query", instrumentation, e);
            return QueryObservation.NOOP;
        }
    }

    private static void finish(QueryObservation[] observations, QueryOutcome outcome) {
        // Reverse order, so nested scopes (spans) close the way they opened.
        for (int i = observations.length - 1; i >= 0; i--) {
            try {
                observations[i].end(outcome);
            } catch (RuntimeException e) {
                LOG.warn("Instrumentation failed after a query", e);
            }
        }
    }

    static long noRows(Object ignored) {
        return -1;
    }

    static long sum(int[] counts) {
        long total = 0;
        for (int c : counts) {
            total += Math.max(c, 0);
        }
        return total;
    }

    static long sum(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += Math.max(c, 0);
        }
        return total;
    }
}
