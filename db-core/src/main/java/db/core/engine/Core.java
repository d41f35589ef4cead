package db.core.engine;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.DbKeys;
import db.api.Health;
import db.api.PoolClosedException;
import db.api.PoolStats;
import db.api.PoolStatus;
import db.api.Providers;
import db.api.Session;
import db.api.TransactionWork;
import db.api.TxOptions;
import db.api.spi.ConnectionPool;
import db.api.spi.ErrorMapper;
import db.api.spi.Instrumentation;
import db.api.spi.InstrumentationContext;
import db.api.spi.PoolCounters;
import db.api.spi.PoolEvent;
import db.api.spi.PoolEvents;
import db.api.spi.QueryInstrumenter;
import db.api.spi.SelectedProviders;
import db.api.spi.SessionProvider;
import db.api.spi.SqlStateFamily;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The engine behind {@link db.api.Database}: wires the selected providers, the started pool, sessions,
 * transactions with retries and leak reports, and closes them. The checkout path is {@link Checkout}, the
 * health probe {@link HealthCheck}, the runtime controls {@link PoolControls}. Thread-safe.
 */
public final class Core {
    private static final Logger LOG = LogManager.getLogger(Core.class);
    private static final String INCLUDE_DETAIL = "db.errors.include-detail";
    /** The counters before the pool started, or after its start failed: nothing open, nothing counted. */
    private static final PoolCounters NO_POOL = new FixedCounters(0, 0, 0, 0);

    private final DbConfig config;
    private final Providers providers;
    private final ErrorTranslator translator;
    private final List<Instrumentation> instrumentations;
    private final QueryHooks hooks;
    private final AtomicLong leaks = new AtomicLong();
    private final CheckoutGate gate;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService leakScheduler;
    private final LeakDetector leakDetector;
    private final DataSource dataSource;
    private final SessionReset reset;
    private final Transactions transactions;
    private final PhysicalConnector connector;
    private final Checkout checkout;
    private final HealthCheck healthCheck;
    private final PoolControls controls;
    /** The pool's name, unique among the open databases of this process (see {@link PoolNames}). */
    private final String uniquePoolName;
    private volatile ConnectionPool pool;
    // Read routing, failover and transaction-pooler support (issue #14): kept in their own classes.
    private final ScaleOutSettings scaleOut;
    private final List<QueryInstrumenter> instrumenters;
    private final List<Instrumentation> replicaInstrumentations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ReplicaRouter replicas;
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
        this.healthCheck = new HealthCheck(this, config, translator, daemonThreads("switchboard-health-" + poolName));
        this.dataSource = new SessionDataSource(this);
        this.transactions = new Transactions(this);
        int maxWaiting = maxWaiting(config);
        this.gate = new CheckoutGate(uniquePoolName, config.maxSize(), maxWaiting);
        this.checkout = new Checkout(this, config, gate, hooks, reset, leakDetector, translator, connector, maxWaiting);
        this.controls = new PoolControls(this, config, gate, connector);
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
                replicaPool.name(), () -> ReplicaRouter.standbyStats(replicaPool), PoolStatus.Role.REPLICA);
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
        return checkout.borrowSession(false);
    }

    /**
     * A read-only session: on a standby in rotation when read routing is on, else on the primary; the
     * connection is marked read-only either way.
     */
    public Session openReadOnlySession() {
        SessionImpl session = checkout.borrowSession(true);
        try {
            session.state().setReadOnly(true);
        } catch (SQLException e) {
            session.close();
            throw translator.translate(e);
        }
        return session;
    }

    SessionImpl borrowSession() {
        return checkout.borrowSession(false);
    }

    /** A session on the primary, or for read-only work on a standby when one is in rotation. */
    SessionImpl borrowSession(boolean readOnly) {
        return checkout.borrowSession(readOnly);
    }

    /** A failed baseline set-up, mapped by its SQLSTATE, with the step that failed named. */
    DataAccessException setUpFailed(SQLException setUp) {
        DataAccessException mapped = translator.translate(setUp);
        return SqlStateFamily.of(mapped.sqlState()).newException("Creating a connection for pool '"
                + config.poolName() + "' failed in " + connector.setUpStep() + ": " + mapped.getMessage(), setUp,
                mapped.details());
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

    /** The primary's pool, or {@link PoolClosedException} when this database is closed. */
    ConnectionPool requireOpen() {
        ConnectionPool current = pool;
        if (closed.get() || current == null) {
            throw new PoolClosedException("Database pool '" + config.poolName() + "' is closed");
        }
        return current;
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        return closed.get();
    }

    /** The standbys' router, or null without read routing. */
    ReplicaRouter replicaRouter() {
        return replicas;
    }

    /** Called once per session after its connection was given back (closed or discarded): frees its permit. */
    void sessionClosed(SessionImpl session) {
        checkout.sessionClosed(session);
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
        all.add(new PoolStatus(PoolStatus.Role.PRIMARY, primaryServer(), stats(), true, Optional.empty(),
                Optional.empty()));
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
        PoolCounters p = current == null ? NO_POOL : current.counters();
        return new PoolStats(current == null ? config.poolName() : current.name(), p.total(), p.idle(), p.busy(),
                gate.waiting() + p.pending(), gate.permits(), controls.minSize(),
                Math.max(p.timeouts(), checkout.timeouts()), leaks.get(), p.created(), p.closed(), checkout.rejected(),
                connector.attempts(), connector.failures(), connector.backoff(), gate.paused());
    }

    // ---- pool controls ----

    /**
     * New bounds at runtime: growing admits waiters at once; shrinking lets no new borrower through until
     * enough connections came back, and the pool closes idle connections above the new maximum now and
     * lent ones as they come back.
     */
    public void resize(int newMin, int newMax) {
        controls.resize(newMin, newMax);
    }

    /** Retires every connection: idle ones close now, lent ones when given back. */
    public void evictAll() {
        controls.evictAll();
    }

    /**
     * Holds every checkout (they wait, bounded by the checkout timeout, in arrival order) and opens no
     * new connection until {@link #resume()}. Sessions already open carry on.
     */
    public void pause() {
        controls.pause();
    }

    /** Ends {@link #pause()}: waiters are served in arrival order. */
    public void resume() {
        controls.resume();
    }

    private static int maxWaiting(DbConfig config) {
        return config.get(DbKeys.POOL_MAX_WAITING).orElse(0); // validated by the key registry; 0 = unbounded
    }

    /** A bounded round trip. */
    public Health health() {
        return healthCheck.run();
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
        healthCheck.close();
    }

    /** A pool's counters that are given, not read from a pool. */
    private record FixedCounters(int idle, int busy, int max, int min) implements PoolCounters {
    }

    @Override
    public String toString() {
        return "pool '" + config.poolName() + "' " + config.target() + (closed.get() ? " (closed)" : "");
    }
}
