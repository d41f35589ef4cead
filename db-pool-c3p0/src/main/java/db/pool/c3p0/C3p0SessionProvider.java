package db.pool.c3p0;

import com.mchange.v2.c3p0.C3P0Registry;
import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;
import db.api.ConfigException;
import db.api.DataAccessException;
import db.api.DbConfig;
import db.api.DbKeys;
import db.api.spi.ConnectionPool;
import db.core.support.PoolFailures;
import db.api.spi.PoolContext;
import db.api.spi.SessionProvider;
import db.core.support.TrackedConnections;
import java.beans.PropertyVetoException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A {@link SessionProvider} backed by a c3p0 pool, configured entirely in code (on the module path
 * c3p0 does not see {@code c3p0.properties}).
 *
 * <p>What it sets, and why:
 * <ul>
 *   <li>min/initial/max size from {@code db.pool.min-size}/{@code max-size}; connections above the
 *       minimum close after {@code db.pool.idle-timeout}, every connection is retired after
 *       {@code db.pool.max-lifetime};</li>
 *   <li>a checkout waits at most {@code db.pool.checkout-timeout} (c3p0's default waits forever);</li>
 *   <li>a checkout of a connection idle for longer than {@value C3p0Pool#VALIDATION_WINDOW_MS} ms is
 *       validated with {@code Connection.isValid} first (as HikariCP does: a connection given back
 *       moments ago is trusted, which saves a round trip per session); a broken one is discarded and
 *       another taken. Idle connections are also tested in the background with {@code isValid}
 *       (c3p0's default test since 0.10), so a restarted database or killed backends cost the
 *       application no error;</li>
 *   <li>synchronous check-ins (c3p0 tests nothing on check-in, so they are safe and much faster);</li>
 *   <li>a short, bounded acquire retry (3 tries, 250 ms apart) with the pool kept alive after a
 *       failed round, so it heals when the database is back instead of breaking or retrying for 30 s;</li>
 *   <li>c3p0's {@code FixedThreadPoolExecutorTaskRunnerFactory}: a plain executor of the helper
 *       threads, without the legacy thread pool's "APPARENT DEADLOCK" detector; a hanging connect is
 *       bounded by the driver's {@code loginTimeout} instead;</li>
 *   <li>physical connections come from the core's {@code PoolContext.connections()}, which hands pgjdbc
 *       {@link DbConfig#jdbcUrl()} and the engine's driver properties, the one translation every
 *       provider uses (secrets as properties, never in the URL); the password supplier, init SQL and
 *       initializers, and the back-off while the database is unreachable are the same for every provider;</li>
 *   <li>c3p0 waits at most {@value C3p0Pool#C3P0_WAIT_SLICE_MS} ms at a time; the pool waits again up to
 *       the checkout's one deadline. {@code resize} starts a c3p0 pool with the new bounds and drains the
 *       old one (c3p0 fixes a pool's bounds); {@code evictAll} does the same with unchanged bounds.</li>
 * </ul>
 * {@code db.pool.close-timeout} (default 10s) bounds how long {@code close()} waits for lent
 * connections before aborting them.
 */
public final class C3p0SessionProvider implements SessionProvider {
    private static final Logger LOG = LogManager.getLogger(C3p0SessionProvider.class);

    /** The pgjdbc driver, named so that c3p0 instantiates it itself (DriverManager misses it in a child layer). */
    static final String DRIVER_CLASS = "org.postgresql.Driver";
    private static final String MLOG_KEY = "com.mchange.v2.log.MLog";
    /** MLog reads its backend from either spelling. */
    private static final List<String> MLOG_KEYS = List.of(MLOG_KEY, "com.mchange.v2.log.mlog");
    /** The class-path resources where mchange-commons (MLog) and c3p0 find an MLog choice. */
    private static final List<String> MLOG_RESOURCES =
            List.of("/mchange-log.properties", "/mchange-commons.properties", "/c3p0.properties");
    private static final int ACQUIRE_RETRY_ATTEMPTS = 3;
    private static final int ACQUIRE_RETRY_DELAY_MS = 250;
    private static final int IDLE_TEST_PERIOD_SECONDS = 30;
    private static final int HELPER_THREADS = 3;

    /** A provider; pools are made by {@link #start(PoolContext)}. */
    public C3p0SessionProvider() {
        // ServiceLoader needs a public no-arg constructor
    }

    @Override
    public String name() {
        return "c3p0";
    }

    @Override
    public ConnectionPool start(PoolContext context) {
        DbConfig config = context.config();
        routeC3p0Logging();
        Duration closeTimeout = config.get(DbKeys.POOL_CLOSE_TIMEOUT).orElseThrow();

        TrackedConnections physical = TrackedConnections.forStart(context,
                "pgjdbc " + config.target() + " (" + DRIVER_CLASS + ")");

        BiFunction<Integer, Integer, PoolBackedDataSource> generations =
                (min, max) -> newC3p0Pool(config, physical, min, max);
        PoolBackedDataSource c3p0;
        try {
            c3p0 = generations.apply(config.minSize(), config.maxSize());
        } catch (RuntimeException e) {
            physical.shutDown();
            throw e;
        }
        C3p0Pool pool = new C3p0Pool(c3p0.getDataSourceName(), config.target(), config.minSize(), config.maxSize(),
                config.checkoutTimeout(), closeTimeout, validationTimeoutSeconds(config), c3p0, physical, generations);
        LOG.info("c3p0 pool '{}' started for {} (min {}, max {}, checkout timeout {} ms{})", pool.name(), config.target(),
                config.minSize(), config.maxSize(), config.checkoutTimeout().toMillis(),
                config.failFast() ? "" : ", not fail-fast");
        return pool;
    }

    /** A started c3p0 pool of the given bounds over the shared physical connections. */
    private static PoolBackedDataSource newC3p0Pool(DbConfig config, TrackedConnections physical, int min, int max) {
        // Registers itself in c3p0's registry (and JMX) on construction; closed below if anything fails.
        PoolBackedDataSource c3p0 = new PoolBackedDataSource();
        try {
            c3p0.setNumHelperThreads(HELPER_THREADS);
            c3p0.setConnectionPoolDataSource(poolSettings(config, physical, min, max));
        } catch (PropertyVetoException | RuntimeException e) {
            c3p0.close();
            throw new ConfigException("c3p0 rejected the pool settings: " + e.getMessage());
        }
        claimUniqueName(c3p0, config.poolName());
        try {
            // c3p0 creates its pool lazily; asking for a count creates it and starts filling it to min size.
            c3p0.getNumConnectionsDefaultUser();
        } catch (SQLException | RuntimeException e) {
            c3p0.close();
            throw cannotConnect(config, e);
        }
        return c3p0;
    }

    private static WrapperConnectionPoolDataSource poolSettings(DbConfig config, TrackedConnections physical,
                                                                int min, int max) throws PropertyVetoException {
        WrapperConnectionPoolDataSource s = new WrapperConnectionPoolDataSource();
        s.setNestedDataSource(physical);
        s.setMinPoolSize(min);
        s.setInitialPoolSize(min);
        s.setMaxPoolSize(max);
        // One at a time: the pool never holds more than it was asked for, and stats stay predictable.
        s.setAcquireIncrement(1);
        // One wait inside c3p0; C3p0Pool waits again until the checkout's deadline (c3p0 has no per-call timeout).
        s.setCheckoutTimeout(Math.min(millis(config.checkoutTimeout()), C3p0Pool.C3P0_WAIT_SLICE_MS));
        s.setMaxIdleTime(0);
        s.setMaxIdleTimeExcessConnections(seconds(config.idleTimeout()));
        s.setMaxConnectionAge(seconds(config.maxLifetime()));
        // Checkouts are validated by C3p0Pool, and only after an idle window: a test on every checkout
        // costs a round trip per session.
        s.setTestConnectionOnCheckout(false);
        s.setTestConnectionOnCheckin(false);
        s.setIdleConnectionTestPeriod(IDLE_TEST_PERIOD_SECONDS);
        s.setConnectionIsValidTimeout(validationTimeoutSeconds(config));
        s.setForceSynchronousCheckins(true);
        s.setAcquireRetryAttempts(ACQUIRE_RETRY_ATTEMPTS);
        s.setAcquireRetryDelay(ACQUIRE_RETRY_DELAY_MS);
        s.setBreakAfterAcquireFailure(false);
        // The core resets the connection and rolls back; c3p0 must not commit anything behind its back.
        s.setAutoCommitOnClose(false);
        s.setMaxStatements(0);
        s.setMaxStatementsPerConnection(0);
        s.setUnreturnedConnectionTimeout(0); // leak detection is the core's
        s.setTaskRunnerFactoryClassName("com.mchange.v2.c3p0.FixedThreadPoolExecutorTaskRunnerFactory");
        return s;
    }

    /**
     * Names the pool {@code db.pool.name}, or {@code name-2}, {@code name-3}... when a live c3p0 pool in
     * this JVM already has that name (the name is also c3p0's JMX name). c3p0's own registry is the
     * source of truth, so this class keeps no state; the class lock makes check-and-set atomic.
     */
    private static String claimUniqueName(PoolBackedDataSource c3p0, String base) {
        synchronized (C3p0SessionProvider.class) {
            String name = base;
            for (int i = 2; !C3P0Registry.pooledDataSourcesByName(name).isEmpty(); i++) {
                name = base + "-" + i;
            }
            c3p0.setDataSourceName(name);
            return name;
        }
    }

    /** How long one {@code isValid} may take: the connect timeout, between 1 and 5 seconds. */
    private static int validationTimeoutSeconds(DbConfig config) {
        return Math.min(5, Math.max(1, seconds(config.connectTimeout())));
    }

    private static DataAccessException cannotConnect(DbConfig config, Throwable failure) {
        return PoolFailures.cannotConnectAtStart(config, failure);
    }

    /**
     * c3p0 logs through mchange's MLog, which picks its backend once, when first used, from this system
     * property or a class-path resource ({@code mchange-log.properties}, {@code mchange-commons.properties},
     * {@code c3p0.properties}, which c3p0 cannot see across module boundaries). So it is set here, before
     * this provider first touches c3p0, to the backend the Log4j API is actually bound to: c3p0's
     * {@code log4j2} adapter needs log4j-core and breaks under {@code log4j-to-slf4j} (Spring Boot), so it
     * is only chosen when log4j-core is the binding. Unless the application chose: the system property
     * would override a choice in those files, so they are read first, the way c3p0 reads them. The one
     * global this module sets, on purpose.
     */
    private static void routeC3p0Logging() {
        if (!applicationChoseMlog(System.getProperties(), PoolBackedDataSource.class::getResourceAsStream)) {
            System.setProperty(MLOG_KEY, mlogBackend(LogManager.getFactory().getClass().getName()));
        }
    }

    /**
     * Whether the application named MLog's backend: in the system properties or in one of the resources
     * c3p0 and mchange-commons read, looked up as c3p0's own classes look them up (on the module path,
     * only inside c3p0's module). MLog accepts either spelling of the key.
     */
    static boolean applicationChoseMlog(Properties system, Function<String, InputStream> resources) {
        if (hasMlogKey(system)) {
            return true;
        }
        for (String resource : MLOG_RESOURCES) {
            try (InputStream in = resources.apply(resource)) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    if (hasMlogKey(p)) {
                        return true;
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                // c3p0 cannot read it either, so it names no backend; ours is set
                LOG.debug("Could not read {} while looking for an MLog choice: {}", resource, e.toString());
            }
        }
        return false;
    }

    private static boolean hasMlogKey(Properties p) {
        return MLOG_KEYS.stream().anyMatch(k -> p.getProperty(k) != null);
    }

    /** c3p0's MLog name for the backend behind a Log4j API {@code LoggerContextFactory} class. */
    static String mlogBackend(String loggerContextFactory) {
        if (loggerContextFactory.startsWith("org.apache.logging.log4j.core.")) {
            return "log4j2";
        }
        if (loggerContextFactory.startsWith("org.apache.logging.slf4j.")) {
            return "slf4j";
        }
        return "jul"; // log4j-to-jul, or the API's own fallback: the JDK's logging is always there
    }

    /** Whole seconds, rounded up, for c3p0's second-granular settings; zero stays zero (off). */
    private static int seconds(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return 0;
        }
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
