package db.pool.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import db.api.ConfigException;
import db.api.DbConfig;
import db.api.DbKeys;
import db.api.spi.ConnectionPool;
import db.api.spi.PoolContext;
import db.core.support.PoolFailures;
import db.api.spi.SessionProvider;
import db.core.support.TrackedConnections;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A {@link SessionProvider} ({@code hikari}) backed by HikariCP, configured entirely in code with the
 * same meaning of every {@link DbConfig} key as the c3p0 provider.
 *
 * <p>What it sets, and why:
 * <ul>
 *   <li>{@code minimumIdle}/{@code maximumPoolSize} from {@code db.pool.min-size}/{@code max-size};
 *       {@code idleTimeout} and {@code maxLifetime} from {@code db.pool.idle-timeout} and
 *       {@code db.pool.max-lifetime}, raised to HikariCP's floors (10 s and 30 s) with a warning where
 *       shorter, because HikariCP would otherwise silently fall back to its defaults (10 and 30 minutes);</li>
 *   <li>every checkout waits at most {@code db.pool.checkout-timeout}; a timeout with every connection
 *       lent out is a {@link db.api.PoolExhaustedException}, one while connections could still be made
 *       is a {@link db.api.ConnectionException} naming the last connect failure;</li>
 *   <li>a connection idle for more than 500 ms is validated with {@code isValid} before it is lent
 *       (HikariCP's "alive bypass window", the same rule as the c3p0 provider's); validation may take the
 *       connect timeout, between 1 and 5 s;</li>
 *   <li>a fail-fast start makes one connection itself, before HikariCP starts, and throws the same
 *       {@link db.api.ConnectionException} as the c3p0 provider; that connection becomes the pool's first;</li>
 *   <li>auto-commit on (sessions start in autocommit), no leak detection (the core's), no JMX
 *       registration, HikariCP's logging (SLF4J) bound to Log4j2 by {@code log4j-slf4j2-impl};</li>
 *   <li>every physical connection comes from the core ({@link PoolContext#connections()}): the same driver
 *       properties, initializers, back-off and creation reports as with every provider.</li>
 * </ul>
 * {@code db.pool.close-timeout} (default 10 s) bounds how long {@code close()} waits for lent
 * connections before aborting them.
 */
public final class HikariSessionProvider implements SessionProvider {
    private static final Logger LOG = LogManager.getLogger(HikariSessionProvider.class);

    static final String DRIVER_CLASS = "org.postgresql.Driver";
    /** HikariCP replaces a shorter idle timeout with its 10-minute default; this provider raises it instead. */
    static final Duration IDLE_TIMEOUT_FLOOR = Duration.ofSeconds(10);
    /** HikariCP replaces a shorter lifetime with its 30-minute default; this provider raises it instead. */
    static final Duration MAX_LIFETIME_FLOOR = Duration.ofSeconds(30);
    /** HikariCP's lowest connection and validation timeout. */
    private static final long TIMEOUT_FLOOR_MS = 250;

    /** Names of the pools alive in this JVM: a pool's name is unique while it lives. */
    private static final Set<String> LIVE_NAMES = ConcurrentHashMap.newKeySet();

    /** A provider; pools are made by {@link #start(PoolContext)}. */
    public HikariSessionProvider() {
        // ServiceLoader needs a public no-arg constructor
    }

    @Override
    public String name() {
        return "hikari";
    }

    @Override
    public ConnectionPool start(PoolContext context) {
        DbConfig config = context.config();
        Duration closeTimeout = config.get(DbKeys.POOL_CLOSE_TIMEOUT).orElseThrow();
        TrackedConnections physical = TrackedConnections.forStart(context,
                "pgjdbc " + config.target() + " (" + DRIVER_CLASS + ")");
        String name = claimUniqueName(config.poolName());
        HikariConfig settings;
        HikariPool hikari;
        try {
            settings = hikariConfig(config, name, physical);
            hikari = new HikariPool(settings);
        } catch (RuntimeException e) {
            physical.shutDown();
            physical.abortRemaining();
            LIVE_NAMES.remove(name);
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                throw new ConfigException("HikariCP rejected the pool settings: " + e.getMessage());
            }
            throw PoolFailures.cannotConnectAtStart(config, e);
        }
        HikariConnectionPool pool = new HikariConnectionPool(name, config.target(), config.minSize(),
                config.maxSize(), config.checkoutTimeout(), closeTimeout, settings, hikari, physical,
                () -> LIVE_NAMES.remove(name));
        LOG.info("HikariCP pool '{}' started for {} (min {}, max {}, checkout timeout {} ms{})", name,
                config.target(), config.minSize(), config.maxSize(), config.checkoutTimeout().toMillis(),
                config.failFast() ? "" : ", not fail-fast");
        return pool;
    }

    static HikariConfig hikariConfig(DbConfig config, String name, TrackedConnections physical) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setDataSource(physical);
        h.setMinimumIdle(config.minSize());
        h.setMaximumPoolSize(config.maxSize());
        long checkoutMs = Math.max(TIMEOUT_FLOOR_MS, config.checkoutTimeout().toMillis());
        h.setConnectionTimeout(checkoutMs);
        h.setValidationTimeout(Math.min(checkoutMs, Math.max(TIMEOUT_FLOOR_MS, validationTimeout(config).toMillis())));
        h.setIdleTimeout(atLeast(config.idleTimeout(), IDLE_TIMEOUT_FLOOR, "db.pool.idle-timeout", name).toMillis());
        h.setMaxLifetime(atLeast(config.maxLifetime(), MAX_LIFETIME_FLOOR, "db.pool.max-lifetime", name).toMillis());
        h.setKeepaliveTime(0);
        // The fail-fast check is this provider's (same message as every provider); HikariCP only fills.
        h.setInitializationFailTimeout(-1);
        h.setAutoCommit(true);
        h.setLeakDetectionThreshold(0); // leak reports are the core's
        h.setRegisterMbeans(false);
        h.setAllowPoolSuspension(false); // a suspend lock would cost every checkout
        h.validate(); // HikariDataSource would; the pool itself does not
        return h;
    }

    /** Zero stays zero (off); anything shorter than the floor is raised to it, with a warning. */
    private static Duration atLeast(Duration value, Duration floor, String key, String pool) {
        if (value.isZero() || value.compareTo(floor) >= 0) {
            return value;
        }
        LOG.warn("Pool '{}': {}={} ms is below HikariCP's floor; using {} ms", pool, key, value.toMillis(),
                floor.toMillis());
        return floor;
    }

    /** How long one {@code isValid} may take: the connect timeout, between 1 and 5 seconds (as with c3p0). */
    static Duration validationTimeout(DbConfig config) {
        long seconds = Math.min(5, Math.max(1, (config.connectTimeout().toMillis() + 999) / 1000));
        return Duration.ofSeconds(seconds);
    }

    /** {@code base}, or {@code base-2}, {@code base-3}... when a live pool of this provider has that name. */
    private static String claimUniqueName(String base) {
        if (LIVE_NAMES.add(base)) {
            return base;
        }
        for (int i = 2; ; i++) {
            String name = base + "-" + i;
            if (LIVE_NAMES.add(name)) {
                return name;
            }
        }
    }
}
