package db.core.engine;

import db.api.CheckoutInterruptedException;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.DbKeys;
import db.api.Health;
import db.api.PoolClosedException;
import db.api.PoolExhaustedException;
import db.api.PoolStats;
import db.api.PoolStatus;
import db.api.Providers;
import db.api.QueryTimeoutException;
import db.api.Session;
import db.api.TransactionWork;
import db.api.TxOptions;
import db.api.UncategorizedDataAccessException;
import db.api.spi.ConnectionPool;
import db.api.spi.ErrorMapper;
import db.api.spi.Instrumentation;
import db.api.spi.InstrumentationContext;
import db.api.spi.PoolEvent;
import db.api.spi.PoolEvents;
import db.api.spi.QueryInstrumenter;
import db.api.spi.SelectedProviders;
import db.api.spi.SessionProvider;
import db.api.spi.SqlStateFamily;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The engine behind {@link db.api.Database}: the selected providers, the started pool, sessions,
 * transactions with retries, leak reports and health probes. Thread-safe.
 */
public final class Core {
    private static final Logger LOG = LogManager.getLogger(Core.class);
    private static final String INCLUDE_DETAIL = "db.errors.include-detail";
    private static final String HEALTH_TIMEOUT = "db.health-timeout";
    /** While reconnecting without a back-off step to wait for, how often a waiter asks the pool again. */
    private static final long RECONNECT_POLL_NANOS = Duration.ofMillis(50).toNanos();
    /** The shortest pause between two borrow attempts of one waiter while the database is unreachable. */
    private static final long RECONNECT_MIN_PAUSE_NANOS = Duration.ofMillis(5).toNanos();

    private final DbConfig config;
    private final Providers providers;
    private final ErrorTranslator translator;
    private final List<Instrumentation> instrumentations;
    private final QueryHooks hooks;
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong leaks = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final CheckoutGate gate;
    private final long checkoutTimeoutNanos;
    private final int maxWaiting;
    private volatile int minSize;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock controlLock = new ReentrantLock();
    private final ScheduledExecutorService leakScheduler;
    private final ExecutorService probes;
    private final LeakDetector leakDetector;
    private final DataSource dataSource;
    private final SessionReset reset;
    private final Transactions transactions;
    private final PhysicalConnector connector;
    /** The pool's name, unique among the open databases of this process (see {@link PoolNames}). */
    private final String uniquePoolName;
    private volatile ConnectionPool pool;
    // Read routing, failover and transaction-pooler support (issue #14): kept in their own classes.
    private final ScaleOutSettings scaleOut;
    private final List<QueryInstrumenter> instrumenters;
    private final List<Instrumentation> replicaInstrumentations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ReplicaRouter replicas;
    /** Open sessions on a standby, with that standby's hooks: they never passed the primary's gate. */
    private final java.util.Map<SessionImpl, QueryHooks> replicaSessions = new java.util.concurrent.ConcurrentHashMap<>();
    private final ModuleLayer layer;
    private final SessionProvider sessionProvider;
    private volatile PoolJmx jmx;

    private Core(DbConfig config, SessionProvider sessionProvider, List<ErrorMapper> mappers,
                 List<QueryInstrumenter> instrumenters, ModuleLayer layer, ScaleOutSettings scaleOut) {
        this.config = config;
        this.scaleOut = scaleOut;
        this.instrumenters = List.copyOf(instrumenters);
        this.layer = layer;
        this.sessionProvider = sessionProvider;
        // Behind a transaction pooler the server session is not this connection's: no SQL-level reset
        // (the session state it would undo is refused before it is sent).
        this.reset = scaleOut.transactionPooler() ? new SessionReset(SessionReset.Policy.NEVER)
                : SessionReset.from(config);
        List<ErrorMapper> chain = new ArrayList<>(mappers);
        if (scaleOut.transactionPooler()) {
            chain.add(0, new TransactionPoolerGuard.Mapper());
        }
        chain.add(new SqlStateFallbackMapper());
        this.translator = new ErrorTranslator(chain, config.booleanProperty(INCLUDE_DETAIL, false),
                config.statementTimeout().orElse(Duration.ZERO));
        this.providers = new Providers(sessionProvider.name(),
                // The pooler guard's mapper only maps the core's own refusals: not a provider to report.
                chain.stream().filter(m -> !(m instanceof TransactionPoolerGuard.Mapper)).map(ErrorMapper::name)
                        .collect(Collectors.toList()),
                instrumenters.stream().map(QueryInstrumenter::name).collect(Collectors.toList()));
        this.uniquePoolName = PoolNames.claim(config.poolName());
        // Pool events reach the hooks through a lambda that reads them when called, so the connector comes first.
        this.connector = new PhysicalConnector(scaleOut.primary(), poolEvents(), layer, List.of());
        ConnectionServers servers = connector.servers();
        InstrumentationContext context = new InstrumentationContext(config, servers.first(), uniquePoolName,
                this::stats, PoolStatus.Role.PRIMARY);
        this.instrumentations = openAll(instrumenters, context);
        boolean rewrites = config.booleanProperty("db.tracing.sqlcommenter", false);
        TransactionPoolerGuard guard = scaleOut.transactionPooler() ? new TransactionPoolerGuard() : null;
        this.hooks = new QueryHooks(instrumentations, translator, rewrites, guard, servers);
        String poolName = config.poolName();
        this.leakScheduler = config.leakThreshold().isZero() ? null
                : Executors.newSingleThreadScheduledExecutor(daemonThreads("switchboard-leak-" + poolName));
        this.leakDetector = new LeakDetector(config.leakThreshold(), leakScheduler, poolName, this::leakReported);
        this.probes = Executors.newCachedThreadPool(daemonThreads("switchboard-health-" + poolName));
        this.dataSource = new SessionDataSource(this);
        this.transactions = new Transactions(this);
        this.checkoutTimeoutNanos = config.checkoutTimeout().toNanos();
        this.maxWaiting = maxWaiting(config);
        this.minSize = config.minSize();
        this.gate = new CheckoutGate(uniquePoolName, config.maxSize(), maxWaiting);
    }

    /** Starts the pool of the providers {@code db.api} selected (in {@code selected.layer()}, when given). */
    public static Core open(DbConfig config, SelectedProviders selected) {
        SessionProvider sessionProvider = selected.sessionProvider();
        config.warnings().forEach(warning -> LOG.warn("{}", warning));
        ScaleOutSettings scaleOut = ScaleOutSettings.of(config);
        Core core = new Core(config, sessionProvider, selected.errorMappers(), selected.instrumenters(),
                selected.layer().orElse(null), scaleOut);
        try {
            core.pool = sessionProvider.start(core.connector.context());
            if (!scaleOut.replicas().isEmpty()) {
                core.replicas = ReplicaRouter.start(scaleOut, core::startReplicaPool, config.poolName());
            }
        } catch (RuntimeException e) {
            if (core.pool != null) {
                core.pool.close();
            }
            core.releaseResources();
            SQLException setUp = core.connector.setUpFailure();
            if (setUp != null) {
                // The database answered, the baseline failed: say which statement, mapped by its SQLSTATE.
                DataAccessException mapped = core.setUpFailed(setUp);
                mapped.addSuppressed(e);
                throw mapped;
            }
            throw e;
        }
        if (config.get(DbKeys.POOL_JMX).orElse(false)) {
            core.jmx = PoolJmx.register(core, core.uniquePoolName);
        }
        if (scaleOut.transactionPooler()) {
            LOG.info("Switchboard pool '{}' runs behind a transaction pooler (db.pooler=pgbouncer-transaction): the "
                    + "driver gets prepareThreshold=0 (no server-side prepared statements), no SQL-level session "
                    + "reset runs, and session SET/RESET, LISTEN, session advisory locks, WITH HOLD cursors, PREPARE "
                    + "and DISCARD are refused", config.poolName());
        }
        LOG.info("Switchboard opened pool '{}' for {} (size {}..{}) with session provider {}, error mappers {}, "
                        + "instrumenters {}", config.poolName(), core.describeTarget(), config.minSize(), config.maxSize(),
                selected.describeSessionProvider(), core.providers.errorMappers(), core.providers.instrumenters());
        return core;
    }

    private PoolEvents poolEvents() {
        return took -> {
            if (!hooks.off()) {
                hooks.poolEvent(new PoolEvent(PoolEvent.Kind.CONNECTION_CREATED, took));
            }
        };
    }

    private static List<Instrumentation> openAll(List<QueryInstrumenter> instrumenters, InstrumentationContext ctx) {
        List<Instrumentation> opened = new ArrayList<>();
        for (QueryInstrumenter instrumenter : instrumenters) {
            try {
                Instrumentation instrumentation = instrumenter.open(ctx);
                if (instrumentation != null && instrumentation != Instrumentation.NOOP) {
                    opened.add(instrumentation);
                }
            } catch (RuntimeException e) {
                LOG.warn("Instrumenter '{}' failed to open; continuing without it", instrumenter.name(), e);
            }
        }
        return List.copyOf(opened);
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Starts one standby's pool (its own connection source, the provider's pool) with its hooks:
     * instrumentations opened with that standby's host and pool name.
     */
    private ReplicaRouter.Started startReplicaPool(DbConfig replicaConfig) {
        PhysicalConnector replicaConnector = new PhysicalConnector(replicaConfig, poolEvents(), layer, List.of());
        ConnectionPool replicaPool = sessionProvider.start(replicaConnector.context());
        ConnectionServers servers = replicaConnector.servers();
        InstrumentationContext context = new InstrumentationContext(replicaConfig, servers.first(),
                replicaPool.name(), replicaPool::stats, PoolStatus.Role.REPLICA);
        List<Instrumentation> opened = openAll(instrumenters, context);
        replicaInstrumentations.addAll(opened);
        QueryHooks replicaHooks = new QueryHooks(opened, translator,
                config.booleanProperty("db.tracing.sqlcommenter", false),
                scaleOut.transactionPooler() ? new TransactionPoolerGuard() : null, servers);
        return new ReplicaRouter.Started(replicaPool, replicaHooks);
    }

    // ---- sessions ----

    /** A session in autocommit mode. */
    public Session openSession() {
        return borrowSession();
    }

    /**
     * A read-only session: on a standby in rotation when read routing is on, else on the primary; the
     * connection is marked read-only either way.
     */
    public Session openReadOnlySession() {
        SessionImpl session = borrowSession(true);
        try {
            session.state().setReadOnly(true);
        } catch (SQLException e) {
            session.close();
            throw translator.translate(e);
        }
        return session;
    }

    SessionImpl borrowSession() {
        return borrowSession(false);
    }

    /** A session on the primary, or for read-only work on a standby when one is in rotation. */
    SessionImpl borrowSession(boolean readOnly) {
        ConnectionPool current = requireOpen();
        long start = System.nanoTime();
        long deadline = start + checkoutTimeoutNanos;
        ReplicaRouter router = replicas;
        if (readOnly && router != null) {
            SessionImpl onStandby = borrowFromStandby(router, start, deadline);
            if (onStandby != null) {
                return onStandby;
            }
        }
        admit(start, deadline);
        Connection physical;
        try {
            physical = borrowFromPool(current, start, deadline);
        } catch (Throwable failure) {
            gate.release();
            throw failure;
        }
        try {
            if (!hooks.off()) {
                hooks.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofNanos(System.nanoTime() - start)));
            }
            return new SessionImpl(this, physical, hooks, reset, leakDetector);
        } catch (Throwable failure) {
            // Between the pool's borrow and the caller's session: give the connection back, whatever failed.
            giveBackAfterFailure(current, physical, failure);
            gate.release();
            throw failure;
        }
    }

    /**
     * A session on a standby in rotation, or null when none lent a connection (the caller falls back to
     * the primary or fails, per the router's rule). Kept apart from the primary's path, which stays small
     * enough for the JIT to inline.
     */
    private SessionImpl borrowFromStandby(ReplicaRouter router, long start, long deadline) {
        // A standby's pool waits for itself: the primary's gate is for the primary's connections.
        ReplicaRouter.Lease lease = router.borrow(translator, deadline);
        if (lease == null) {
            return null;
        }
        QueryHooks standbyHooks = lease.hooks();
        if (!standbyHooks.off()) {
            standbyHooks.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofNanos(System.nanoTime() - start)));
        }
        SessionImpl session = new SessionImpl(this, lease.connection(), standbyHooks, reset, leakDetector);
        replicaSessions.put(session, standbyHooks);
        return session;
    }

    /** Passes the fair gate (arrival order, at most max-size through) or throws why not. */
    private void admit(long start, long deadline) {
        CheckoutGate.Refusal refusal;
        try {
            refusal = gate.acquire(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckoutInterruptedException("Interrupted after waiting "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms for a connection from pool '"
                    + config.poolName() + "'; no connection was taken (the interrupt flag is set again)");
        }
        if (refusal == null) {
            return;
        }
        if (refusal == CheckoutGate.Refusal.CLOSED) {
            throw new PoolClosedException("Database pool '" + config.poolName() + "' was closed while waiting "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms for a connection");
        }
        if (closed.get()) {
            // The pool closed while this caller waited: that, not exhaustion, is why it got nothing.
            throw new PoolClosedException("Database pool '" + config.poolName() + "' is closed");
        }
        if (refusal == CheckoutGate.Refusal.REJECTED) {
            // No call into the pool here: shedding load must stay cheap when the pool is busiest.
            rejected.incrementAndGet();
            throw new PoolExhaustedException("Pool '" + config.poolName() + "' rejected the checkout at once: "
                    + gate.waiting() + " callers already wait (db.pool.max-waiting=" + maxWaiting + "; max size "
                    + gate.permits() + ", all busy)");
        }
        PoolStats s = stats();
        throw timedOut(start, gate.paused()
                ? new PoolExhaustedException("Pool '" + config.poolName() + "' is paused: no connection within "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (checkout timeout "
                        + config.checkoutTimeout().toMillis() + " ms; " + s.pending() + " waiting)")
                : new PoolExhaustedException("Pool '" + config.poolName() + "' exhausted: no connection became free "
                        + "within " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (checkout timeout "
                        + config.checkoutTimeout().toMillis() + " ms; max size " + s.max() + ", busy " + s.busy()
                        + ", waiting " + s.pending() + ")"));
    }

    private DataAccessException timedOut(long start, DataAccessException e) {
        timeouts.incrementAndGet();
        if (!hooks.off()) {
            hooks.poolEvent(new PoolEvent(PoolEvent.Kind.TIMEOUT, Duration.ofNanos(System.nanoTime() - start)));
        }
        return e;
    }

    /**
     * The pool's borrow within the deadline. While the database is unreachable (the pool reports a
     * {@link ConnectionException}), waits for the pool to reconnect instead of failing at once: tries
     * again when the connector's back-off allows the next attempt, until the deadline; then the
     * exception names the last connect failure. Refusals by a server that answered (authentication,
     * unknown database) fail at once.
     */
    private Connection borrowFromPool(ConnectionPool current, long start, long deadline) {
        while (true) {
            DataAccessException failure;
            try {
                return current.borrow(deadline);
            } catch (PoolExhaustedException e) {
                throw timedOut(start, e);
            } catch (ConnectionException e) {
                failure = e;
            } catch (SQLException e) {
                failure = translator.translate(e);
            }
            SQLException setUp = connector.setUpFailure();
            if (setUp != null) {
                // The database answered but the connection's baseline (init SQL, an initializer) failed:
                // waiting will not help, and the statement that failed is what the caller needs to see.
                DataAccessException mapped = setUpFailed(setUp);
                mapped.addSuppressed(failure);
                throw mapped;
            }
            if (closed.get()) {
                throw new PoolClosedException("Database pool '" + config.poolName() + "' was closed while waiting "
                        + "for it to reconnect", failure);
            }
            if (!(failure instanceof ConnectionException)) {
                throw failure;
            }
            Throwable lastConnect = connector.lastFailure();
            if (lastConnect instanceof SQLException) {
                // The pool only says it could not connect; the last attempt tells whether the server
                // answered and refused (authentication, unknown database): then waiting cannot help.
                DataAccessException refused = translator.translate((SQLException) lastConnect);
                if (!(refused instanceof ConnectionException)) {
                    refused.addSuppressed(failure);
                    throw refused;
                }
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw timedOut(start, unreachable(start, failure));
            }
            long wakeUp = connector.failing() ? connector.nextAttemptNanos() : now + RECONNECT_POLL_NANOS;
            wakeUp = Math.max(wakeUp, now + RECONNECT_MIN_PAUSE_NANOS);
            long pause = Math.min(wakeUp, deadline) - now;
            LockSupport.parkNanos(this, pause);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new CheckoutInterruptedException("Interrupted after waiting "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms for pool '"
                        + config.poolName() + "' to reconnect to " + config.target()
                        + "; no connection was taken (the interrupt flag is set again)");
            }
        }
    }

    /** A failed baseline set-up, mapped by its SQLSTATE, with the step that failed named. */
    private DataAccessException setUpFailed(SQLException setUp) {
        DataAccessException mapped = translator.translate(setUp);
        return SqlStateFamily.of(mapped.sqlState()).newException("Creating a connection for pool '"
                + config.poolName() + "' failed in " + connector.setUpStep() + ": " + mapped.getMessage(), setUp,
                mapped.details());
    }

    private ConnectionException unreachable(long start, DataAccessException last) {
        Throwable reason = connector.lastFailure();
        String why = reason != null ? PhysicalConnector.reason(rootDriverCause(reason)) : last.getMessage();
        return new ConnectionException("Pool '" + config.poolName() + "' got no connection to " + config.target()
                + " within " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (checkout timeout "
                + config.checkoutTimeout().toMillis() + " ms; " + connector.failures() + " failed connect attempts so "
                + "far); last connect failure: " + why, reason != null ? reason : last, last.details());
    }

    /** The driver's own exception under the connector's back-off wrappers. */
    private static Throwable rootDriverCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c && c instanceof SQLException
                && c.getClass() == SQLException.class) {
            c = c.getCause();
        }
        return c;
    }

    private static void giveBackAfterFailure(ConnectionPool pool, Connection physical, Throwable failure) {
        try {
            physical.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
            pool.discard(physical);
        }
    }

    /**
     * Gives back a connection that must not be reused (a fatal error, a failed reset): the pool closes
     * it instead of pooling it. For the session; never throws.
     */
    void discard(Connection physical) {
        ConnectionPool current = pool;
        ReplicaRouter router = replicas;
        if (router != null && router.discard(physical)) {
            return; // a standby's connection
        }
        if (current != null) {
            current.discard(physical);
        } else {
            try {
                physical.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Closing a discarded connection failed", e);
            }
        }
    }

    /**
     * Re-applies the connection's baseline ({@code db.pool.init-sql} and the initializers) on a
     * physical connection, for the session reset after {@code DISCARD ALL}. Does nothing without one.
     */
    void applyBaseline(Connection physical) throws SQLException {
        if (connector.hasBaseline()) {
            connector.setUp(physical);
        }
    }

    private ConnectionPool requireOpen() {
        ConnectionPool current = pool;
        if (closed.get() || current == null) {
            throw new PoolClosedException("Database pool '" + config.poolName() + "' is closed");
        }
        return current;
    }

    /** Called once per session after its connection was given back (closed or discarded): frees its permit. */
    void sessionClosed(SessionImpl session) {
        QueryHooks replicaHooks = replicaSessions.remove(session);
        if (replicaHooks != null) {
            if (!replicaHooks.off()) {
                replicaHooks.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, session.age()));
            }
            return;
        }
        gate.release();
        if (!hooks.off()) {
            hooks.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, session.age()));
        }
    }

    private void leakReported(Duration age) {
        leaks.incrementAndGet();
        if (!hooks.off()) {
            hooks.poolEvent(new PoolEvent(PoolEvent.Kind.LEAK, age));
        }
    }

    /**
     * After a failover the primary pool's connections point at a standby: every one is retired (the lent
     * ones when given back), so the next checkout connects afresh and finds the new primary.
     */
    void evictPrimary() {
        ConnectionPool current = pool;
        if (current != null) {
            current.evictAll();
        }
    }

    // ---- transactions (all of it in Transactions) ----

    /** What the transaction runner tells instrumenters through. */
    QueryHooks hooks() {
        return hooks;
    }

    /** Whether read-only work may go to a standby's pool (read routing is on). */
    boolean routesReads() {
        return replicas != null;
    }

    /** Runs {@code work} in a transaction (a savepoint when this thread has one open), retrying as {@code options} allow. */
    public <T> T inTransaction(TxOptions options, TransactionWork<T> work) {
        return transactions.run(options, work);
    }

    /** The transactions bound to threads, for frameworks that demarcate transactions themselves. */
    public db.api.spi.ThreadTransactions threadTransactions() {
        return transactions;
    }

    /** Maps {@code e} with this database's error mappers (for JDBC code outside its sessions). */
    public DataAccessException translate(SQLException e) {
        return translator.translate(e);
    }

    // ---- views ----

    /** The instrumented DataSource view. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The pool's statistics with the core's counters. */
    public PoolStats stats() {
        return primaryStats();
    }

    /** Every pool with its role: the primary's first, then the standbys'. */
    public List<PoolStatus> pools() {
        List<PoolStatus> all = new ArrayList<>();
        all.add(new PoolStatus(PoolStatus.Role.PRIMARY, primaryServer(), stats(), true, null, null));
        ReplicaRouter router = replicas;
        if (router != null) {
            all.addAll(router.statuses());
        }
        return all;
    }

    /**
     * {@code host:port} of the primary: with a multi-host URL the host of the newest connection (after a
     * failover, the new primary), or every host listed while that is not known.
     */
    private String primaryServer() {
        ConnectionServers servers = connector.servers();
        DatabaseTarget newest = servers.newest();
        if (newest != null) {
            return newest.host() + ":" + newest.port();
        }
        return servers.hosts();
    }

    /** The primary for log lines: with a multi-host URL the host in use when known, and the hosts listed. */
    private String describeTarget() {
        ConnectionServers servers = connector.servers();
        if (!servers.multiHost()) {
            return servers.first().toString();
        }
        DatabaseTarget newest = servers.newest();
        return (newest != null ? newest + ", connected" : servers.first() + ", not connected yet") + "; hosts "
                + servers.hosts();
    }

    private PoolStats primaryStats() {
        ConnectionPool current = pool;
        PoolStats p = current == null
                ? new PoolStats(config.poolName(), 0, 0, 0, 0, config.maxSize(), config.minSize(), 0, 0, 0, 0)
                : current.stats();
        return new PoolStats(p.poolName(), p.total(), p.idle(), p.busy(), gate.waiting() + p.pending(),
                gate.permits(), minSize, Math.max(p.timeouts(), timeouts.get()), leaks.get(), p.created(), p.closed(),
                rejected.get(), connector.attempts(), connector.failures(), connector.backoff(), gate.paused());
    }

    // ---- pool controls ----

    /**
     * New bounds at runtime: growing admits waiters at once; shrinking lets no new borrower through until
     * enough connections came back, and the pool closes idle connections above the new maximum now and
     * lent ones as they come back.
     */
    public void resize(int newMin, int newMax) {
        if (newMin < 0 || newMax < 1 || newMin > newMax) {
            throw new IllegalArgumentException("resize(" + newMin + ", " + newMax
                    + "): need 0 <= min <= max and max >= 1");
        }
        ConnectionPool current = requireOpen();
        synchronizedResize(current, newMin, newMax);
    }

    private void synchronizedResize(ConnectionPool current, int newMin, int newMax) {
        controlLock.lock();
        try {
            if (newMax >= gate.permits()) {
                current.resize(newMin, newMax); // the pool can open them before the gate lets anybody through
                gate.resize(newMax);
            } else {
                gate.resize(newMax);
                current.resize(newMin, newMax);
            }
            minSize = newMin;
        } finally {
            controlLock.unlock();
        }
        LOG.info("Pool '{}' resized to {}..{}", config.poolName(), newMin, newMax);
    }

    /** Retires every connection: idle ones close now, lent ones when given back. */
    public void evictAll() {
        requireOpen().evictAll();
    }

    /**
     * Holds every checkout (they wait, bounded by the checkout timeout, in arrival order) and opens no
     * new connection until {@link #resume()}. Sessions already open carry on.
     */
    public void pause() {
        requireOpen();
        connector.pause();
        gate.pause();
        LOG.info("Pool '{}' paused: checkouts wait, no new connection is opened", config.poolName());
    }

    /** Ends {@link #pause()}: waiters are served in arrival order. */
    public void resume() {
        requireOpen();
        connector.resume();
        gate.resume();
        LOG.info("Pool '{}' resumed", config.poolName());
    }

    private static int maxWaiting(DbConfig config) {
        return config.get(DbKeys.POOL_MAX_WAITING).orElse(0); // validated by the key registry; 0 = unbounded
    }

    /** A bounded round trip. */
    public Health health() {
        Duration timeout = config.durationProperty(HEALTH_TIMEOUT,
                min(Duration.ofSeconds(5), config.checkoutTimeout()));
        long start = System.nanoTime();
        CompletableFuture<Void> probe;
        try {
            requireOpen();
            probe = CompletableFuture.runAsync(() -> roundTrip(timeout), probes);
        } catch (DataAccessException | RejectedExecutionException e) {
            return unhealthy(start, e instanceof DataAccessException ? (DataAccessException) e
                    : new PoolClosedException("Database pool '" + config.poolName() + "' is closed"));
        }
        try {
            probe.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Health(true, Duration.ofNanos(System.nanoTime() - start), stats(), null, pools());
        } catch (TimeoutException e) {
            // The probe keeps waiting in the background and returns its connection when it gets one.
            return unhealthy(start, new QueryTimeoutException("Health check did not complete within "
                    + timeout.toMillis() + " ms (pool '" + config.poolName() + "', " + stats().busy() + " of "
                    + config.maxSize() + " connections busy)"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return unhealthy(start, cause instanceof DataAccessException ? (DataAccessException) cause
                    : new UncategorizedDataAccessException("Health check failed: " + cause.getClass().getName(), cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unhealthy(start, new QueryTimeoutException("Health check interrupted"));
        }
    }

    private void roundTrip(Duration timeout) {
        // The physical connection, not the instrumented one: readiness probes every few seconds must
        // not flood traces and query metrics.
        try (SessionImpl session = borrowSession()) {
            Connection physical = session.physical();
            // The probe's socket reads are bounded by the health timeout, not the (much longer) network
            // timeout: during a stall, probes every few seconds must not pile up holding connections.
            int networkTimeout = physical.getNetworkTimeout();
            physical.setNetworkTimeout(Runnable::run, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            try (Statement statement = physical.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
                statement.execute("SELECT 1");
            } finally {
                if (!physical.isClosed()) {
                    physical.setNetworkTimeout(Runnable::run, networkTimeout);
                }
            }
        } catch (SQLException e) {
            throw translator.translate(e);
        }
    }

    private Health unhealthy(long start, DataAccessException failure) {
        return new Health(false, Duration.ofNanos(System.nanoTime() - start), stats(), failure, pools());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What was selected. */
    public Providers providers() {
        return providers;
    }

    /** The configuration. */
    public DbConfig config() {
        return config;
    }

    /** Drains the pool and releases the instrumentations. Idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Callers waiting for a connection learn at once that none will come (not after the drain).
        gate.close();
        ConnectionPool current = pool;
        try {
            ReplicaRouter router = replicas;
            if (router != null) {
                router.close();
            }
            if (current != null) {
                current.close();
            }
        } finally {
            releaseResources();
            LOG.info("Switchboard closed pool '{}' for {}", config.poolName(), config.target());
        }
    }

    private void releaseResources() {
        PoolJmx view = jmx;
        if (view != null) {
            view.unregister();
        }
        PoolNames.release(uniquePoolName);
        List<Instrumentation> all = new ArrayList<>(instrumentations);
        all.addAll(replicaInstrumentations);
        for (Instrumentation instrumentation : all) {
            try {
                instrumentation.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing an instrumentation failed", e);
            }
        }
        if (leakScheduler != null) {
            leakScheduler.shutdownNow();
        }
        probes.shutdown();
    }

    @Override
    public String toString() {
        return "pool '" + config.poolName() + "' " + config.target() + (closed.get() ? " (closed)" : "");
    }
}
