package db.core.engine;

import db.api.DataAccessException;
import db.api.DbConfig;
import db.api.Health;
import db.api.PoolClosedException;
import db.api.QueryTimeoutException;
import db.api.UncategorizedDataAccessException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The health probe of a {@link Core}: one {@code SELECT 1} on a pooled connection, bounded by
 * {@code db.health-timeout}, on a thread of its own so a stalled database cannot hold the caller.
 */
final class HealthCheck {
    private static final String HEALTH_TIMEOUT = "db.health-timeout";

    private final Core core;
    private final DbConfig config;
    private final ErrorTranslator translator;
    private final ExecutorService probes;

    HealthCheck(Core core, DbConfig config, ErrorTranslator translator, ThreadFactory probeThreads) {
        this.core = core;
        this.config = config;
        this.translator = translator;
        this.probes = Executors.newCachedThreadPool(probeThreads);
    }

    /** A bounded round trip. */
    Health run() {
        Duration timeout = config.durationProperty(HEALTH_TIMEOUT,
                min(Duration.ofSeconds(5), config.checkoutTimeout()));
        long start = System.nanoTime();
        CompletableFuture<Void> probe;
        try {
            core.requireOpen();
            probe = CompletableFuture.runAsync(() -> roundTrip(timeout), probes);
        } catch (DataAccessException | RejectedExecutionException e) {
            return unhealthy(start, e instanceof DataAccessException dae ? dae
                    : new PoolClosedException("Database pool '" + config.poolName() + "' is closed"));
        }
        try {
            probe.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Health(true, Duration.ofNanos(System.nanoTime() - start), core.stats(), null, core.pools());
        } catch (TimeoutException e) {
            // The probe keeps waiting in the background and returns its connection when it gets one.
            return unhealthy(start, new QueryTimeoutException("Health check did not complete within "
                    + timeout.toMillis() + " ms (pool '" + config.poolName() + "', " + core.stats().busy() + " of "
                    + config.maxSize() + " connections busy)"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return unhealthy(start, cause instanceof DataAccessException dae ? dae
                    : new UncategorizedDataAccessException("Health check failed: " + cause.getClass().getName(), cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unhealthy(start, new QueryTimeoutException("Health check interrupted"));
        }
    }

    private void roundTrip(Duration timeout) {
        // The physical connection, not the instrumented one: readiness probes every few seconds must
        // not flood traces and query metrics.
        try (SessionImpl session = core.borrowSession()) {
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
        return new Health(false, Duration.ofNanos(System.nanoTime() - start), core.stats(), failure, core.pools());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops the probe threads; a probe still waiting for a connection ends with the pool's close. */
    void close() {
        probes.shutdown();
    }
}
