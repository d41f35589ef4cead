package db.core.engine;

import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DbConfig;
import db.api.PoolExhaustedException;
import db.api.PoolStats;
import db.api.PoolStatus;
import db.api.spi.ConnectionPool;
import db.api.spi.PoolCounters;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Read routing: one pool per standby listed in {@code db.replica.url}, load-balanced round robin over
 * those in rotation. A periodic probe checks each standby ({@code pg_is_in_recovery()}, and with
 * {@code db.replica.max-lag} its replay lag) and takes it out of rotation while it is unreachable, no
 * longer a standby, or lagging; a failed checkout takes it out at once. Only read-only work ever comes
 * here. Thread-safe.
 */
final class ReplicaRouter implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ReplicaRouter.class);

    /** Lag is zero when everything received is replayed: an idle primary sends nothing to replay. */
    private static final String PROBE_SQL = "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() "
            + "IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM "
            + "(now() - pg_last_xact_replay_timestamp())), 0) END";

    private final List<Member> members;
    private final ScaleOutSettings settings;
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService probes;
    private final Duration probeTimeout;
    private volatile boolean closed;

    /** What a read gets: a connection of one standby, with that standby's hooks. */
    record Lease(Connection connection, QueryHooks hooks, Member member) {
    }

    /** A started standby pool with its hooks. */
    record Started(ConnectionPool pool, QueryHooks hooks) {
    }

    /** Which standby lent a connection, for discarding it into the right pool; weak, so given-back ones go. */
    private final Map<Connection, Member> lentBy = Collections.synchronizedMap(new WeakHashMap<>());

    /** The state of one standby as the last probe or checkout saw it. */
    private record State(boolean inRotation, Duration lag, String reason) {
    }

    /** One standby: its pool, its hooks (instrumented with its own host and pool name), its state. */
    static final class Member {
        final String server;
        final DbConfig config;
        final ConnectionPool pool;
        final QueryHooks hooks;
        private volatile State state = new State(true, null, null);
        private final AtomicLong probeStartedNanos = new AtomicLong();

        Member(String server, DbConfig config, ConnectionPool pool, QueryHooks hooks) {
            this.server = server;
            this.config = config;
            this.pool = pool;
            this.hooks = hooks;
        }

        PoolStatus status() {
            State s = state;
            return new PoolStatus(PoolStatus.Role.REPLICA, server, standbyStats(pool), s.inRotation,
                    Optional.ofNullable(s.lag), Optional.ofNullable(s.reason));
        }

        void close() {
            try {
                pool.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing standby pool '{}' failed", pool.name(), e);
            }
        }
    }

    private ReplicaRouter(List<Member> members, ScaleOutSettings settings, String poolName) {
        this.members = List.copyOf(members);
        this.settings = settings;
        this.probeTimeout = min(Duration.ofSeconds(5), settings.probeInterval().multipliedBy(3));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-replica-probe-" + poolName));
        this.probes = Executors.newCachedThreadPool(daemon("switchboard-replica-check-" + poolName));
    }

    /**
     * Starts one pool per standby (never fail-fast: a standby that is down is out of rotation, not a
     * startup failure) and the probe.
     *
     * @param starter starts a standby's pool, given its configuration
     */
    static ReplicaRouter start(ScaleOutSettings settings, Function<DbConfig, Started> starter, String poolName) {
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < settings.replicas().size(); i++) {
                DbConfig config = settings.replicas().get(i);
                Started started = starter.apply(config);
                members.add(new Member(settings.replicaServers().get(i), config, started.pool(), started.hooks()));
            }
        } catch (RuntimeException e) {
            members.forEach(Member::close);
            throw e;
        }
        ReplicaRouter router = new ReplicaRouter(members, settings, poolName);
        long period = settings.probeInterval().toMillis();
        // Not kept: close() cancels the schedule with shutdownNow(), and probeRound lets no exception end it.
        ScheduledFuture<?> unused = router.scheduler.scheduleWithFixedDelay(router::probeRound, 0, period,
                TimeUnit.MILLISECONDS);
        LOG.info("Switchboard routes read-only work of pool '{}' to {} standby(s) {} (probe every {} ms, max lag {}, "
                        + "fallback {})", poolName, members.size(), settings.replicaServers(), period,
                settings.maxLag().isZero() ? "not watched" : settings.maxLag().toMillis() + " ms",
                settings.fallback().name().toLowerCase(java.util.Locale.ROOT));
        return router;
    }

    /**
     * A connection of a standby in rotation, trying each once; {@code null} when none is in rotation or
     * answers and the fallback is the primary.
     *
     * @throws ConnectionException    when none is in rotation and {@code db.replica.fallback=fail}
     * @throws PoolExhaustedException when a standby's pool stays exhausted (that is load, not an outage)
     */
    Lease borrow(ErrorTranslator translator, long deadlineNanos) {
        int n = members.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Member m = members.get((start + i) % n);
            if (!m.state.inRotation) {
                continue;
            }
            try {
                Connection lent = m.pool.borrow(deadlineNanos);
                lentBy.put(lent, m);
                return new Lease(lent, m.hooks, m);
            } catch (SQLException e) {
                takeOut(m, "checkout failed: " + describe(translator.translate(e)), null);
            } catch (ConnectionException e) {
                takeOut(m, "checkout failed: " + describe(e), null);
            }
        }
        if (settings.fallback() == ScaleOutSettings.Fallback.FAIL) {
            throw new ConnectionException("No standby is in rotation for read-only work and " + ScaleOutSettings.REPLICA_FALLBACK
                    + "=fail: " + describeAll());
        }
        return null;
    }

    /** Discards {@code lent} into the standby pool that lent it; false when no standby did. */
    boolean discard(Connection lent) {
        Member m = lentBy.remove(lent);
        if (m == null) {
            return false;
        }
        m.pool.discard(lent);
        return true;
    }

    /** A standby pool's statistics: its own counters (the core's gate and connect counters are the primary's). */
    static PoolStats standbyStats(ConnectionPool pool) {
        PoolCounters c = pool.counters();
        return new PoolStats(pool.name(), c.total(), c.idle(), c.busy(), c.pending(), c.max(), c.min(), c.timeouts(),
                0, c.created(), c.closed(), 0, 0, 0, Duration.ZERO, false);
    }

    /** Every standby pool's status, in the order listed. */
    List<PoolStatus> statuses() {
        List<PoolStatus> all = new ArrayList<>(members.size());
        for (Member m : members) {
            all.add(m.status());
        }
        return all;
    }

    private String describeAll() {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            State s = m.state;
            sb.append(sb.length() == 0 ? "" : "; ").append(m.server).append(' ')
                    .append(s.inRotation ? "in rotation" : s.reason);
        }
        return sb.toString();
    }

    // ---- the probe ----

    /** One scheduled round; a failure is logged, never thrown: it would cancel every later round. */
    private void probeRound() {
        try {
            probeAll();
        } catch (RuntimeException e) {
            LOG.warn("A standby probe round failed; the next one runs as scheduled", e);
        }
    }

    private void probeAll() {
        for (Member m : members) {
            long started = m.probeStartedNanos.get();
            if (started != 0) {
                // The previous probe still waits: a standby that does not answer within the timeout is out.
                if (System.nanoTime() - started > probeTimeout.toNanos()) {
                    takeOut(m, "probe did not answer within " + probeTimeout.toMillis() + " ms", null);
                }
                continue;
            }
            m.probeStartedNanos.set(System.nanoTime());
            try {
                probes.execute(() -> {
                    try {
                        probe(m);
                    } finally {
                        m.probeStartedNanos.set(0);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                m.probeStartedNanos.set(0); // closing
            }
        }
    }

    private void probe(Member m) {
        boolean inRecovery;
        double lagSeconds;
        try (Connection c = m.pool.borrow(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, (probeTimeout.toMillis() + 999) / 1000));
            try (ResultSet rs = s.executeQuery(PROBE_SQL)) {
                rs.next();
                inRecovery = rs.getBoolean(1);
                lagSeconds = rs.getDouble(2);
            }
        } catch (SQLException | DataAccessException e) {
            takeOut(m, "unreachable: " + (e instanceof DataAccessException dae ? describe(dae)
                    : "SQLSTATE " + ((SQLException) e).getSQLState()), null);
            return;
        } catch (RuntimeException e) {
            takeOut(m, "probe failed: " + e.getClass().getSimpleName(), null);
            return;
        }
        Duration lag = Duration.ofNanos((long) (lagSeconds * 1e9));
        if (!inRecovery) {
            takeOut(m, "not a standby (pg_is_in_recovery() is false: promoted?)", null);
        } else if (!settings.maxLag().isZero() && lag.compareTo(settings.maxLag()) > 0) {
            takeOut(m, "replay lag " + lag.toMillis() + " ms exceeds " + ScaleOutSettings.REPLICA_MAX_LAG + " "
                    + settings.maxLag().toMillis() + " ms", lag);
        } else {
            State before = m.state;
            m.state = new State(true, lag, null);
            if (!before.inRotation) {
                LOG.info("Standby {} (pool '{}') is back in rotation (replay lag {} ms)", m.server, m.pool.name(),
                        lag.toMillis());
            }
        }
    }

    private void takeOut(Member m, String reason, Duration lag) {
        if (closed) {
            return; // a probe that ends because its pool closed says nothing about the standby
        }
        State before = m.state;
        m.state = new State(false, lag, reason);
        if (before.inRotation) {
            LOG.warn("Standby {} (pool '{}') is out of rotation: {}", m.server, m.pool.name(), reason);
        }
    }

    private static String describe(DataAccessException e) {
        return e.getClass().getSimpleName() + (e.sqlState() == null ? "" : " (SQLSTATE " + e.sqlState() + ")");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the probe and drains every standby pool. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        // Not shutdownNow: a probe waiting in a checkout ends when its pool closes, without an interrupt.
        probes.shutdown();
        members.forEach(Member::close);
    }
}
