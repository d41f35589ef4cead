package db.api;

import db.api.spi.ConfigKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The configuration keys of {@code db.api} itself, each declared once; read them typed with
 * {@link DbConfig#get(ConfigKey)}. Provider modules declare theirs through
 * {@link db.api.spi.ConfigKeySource}. README.md's configuration table lists them all.
 */
public final class DbKeys {
    private static final List<ConfigKey<?>> ALL = new ArrayList<>();

    // Rules the server enforces on its int-milliseconds settings (pg_settings.max_val of statement_timeout).
    private static final long SERVER_MAX_MILLIS = Integer.MAX_VALUE;
    private static final String NOT_ZERO = "must be greater than zero (an infinite wait is never what you want)";

    /** JDBC URL, libpq URI or key/value DSN (required). */
    public static final ConfigKey<String> URL = declare(ConfigKey.text("db.url"));
    /** Role name (else from the URL). */
    public static final ConfigKey<String> USER = declare(ConfigKey.text("db.user"));
    /** Password (else from the URL); secret. */
    public static final ConfigKey<String> PASSWORD = declare(ConfigKey.text("db.password").secret());
    /** Connections kept open. */
    public static final ConfigKey<Integer> POOL_MIN_SIZE = declare(ConfigKey.integer("db.pool.min-size", 2, 0, 100_000));
    /** Upper bound of connections. */
    public static final ConfigKey<Integer> POOL_MAX_SIZE = declare(ConfigKey.integer("db.pool.max-size", 10, 1, 100_000));
    /** Longest wait for a connection; never infinite. */
    public static final ConfigKey<Duration> POOL_CHECKOUT_TIMEOUT = declare(ConfigKey.duration("db.pool.checkout-timeout",
            Duration.ofSeconds(30)).require(d -> !d.isZero(), NOT_ZERO));
    /** Idle connections above the minimum close after this; zero keeps them. */
    public static final ConfigKey<Duration> POOL_IDLE_TIMEOUT = declare(ConfigKey.duration("db.pool.idle-timeout", Duration.ofMinutes(10)));
    /** Connections are replaced after this; zero keeps them forever. */
    public static final ConfigKey<Duration> POOL_MAX_LIFETIME = declare(ConfigKey.duration("db.pool.max-lifetime", Duration.ofMinutes(30)));
    /** Report sessions open longer than this; zero is off. */
    public static final ConfigKey<Duration> POOL_LEAK_THRESHOLD = declare(ConfigKey.duration("db.pool.leak-threshold", Duration.ZERO));
    /** The pool's name in logs, metrics and JMX. */
    public static final ConfigKey<String> POOL_NAME = declare(ConfigKey.text("db.pool.name", "switchboard")
            .require(s -> !s.isEmpty() && s.length() <= 63, "must be 1 to 63 characters"));
    /** Fail at open when the database does not answer. */
    public static final ConfigKey<Boolean> POOL_FAIL_FAST = declare(ConfigKey.flag("db.pool.fail-fast", true));
    /** How long {@code close()} waits for lent connections before aborting them. */
    public static final ConfigKey<Duration> POOL_CLOSE_TIMEOUT = declare(ConfigKey.duration("db.pool.close-timeout", Duration.ofSeconds(10)));
    /** TCP connect and login bound. */
    public static final ConfigKey<Duration> CONNECT_TIMEOUT = declare(ConfigKey.duration("db.connect-timeout", Duration.ofSeconds(10))
            .require(d -> !d.isZero(), NOT_ZERO)
            .require(d -> d.toSeconds() < Integer.MAX_VALUE, "must be less than 68 years"));
    /** Server-side {@code statement_timeout}; none by default; the server takes 1 ms to about 24.8 days. */
    public static final ConfigKey<Duration> STATEMENT_TIMEOUT = declare(ConfigKey.duration("db.statement-timeout", null)
            .require(d -> d.isZero() || d.toNanos() >= 1_000_000, "is below the server's resolution of 1 ms (0 turns it off)")
            .require(d -> d.toMillis() <= SERVER_MAX_MILLIS,
                    "exceeds the server's limit for statement_timeout (2147483647 ms, about 24.8 days)"));
    /** {@code application_name} in {@code pg_stat_activity}. */
    public static final ConfigKey<String> APPLICATION_NAME = declare(ConfigKey.text("db.application-name", "switchboard")
            .require(s -> s.length() <= 63, "is longer than 63 characters (the server truncates it)"));
    /** Chooses a session provider by name when several are present. */
    public static final ConfigKey<String> SESSION_PROVIDER = declare(ConfigKey.text("db.session-provider")
            .require(s -> s.matches("[A-Za-z0-9._-]+"), "is not a provider name (letters, digits, '.', '-', '_')"));
    /** Put the server's DETAIL (may contain row values) into exceptions. */
    public static final ConfigKey<Boolean> ERRORS_INCLUDE_DETAIL = declare(ConfigKey.flag("db.errors.include-detail", false));
    /** Bound of {@code health()}; default min(5s, checkout timeout). */
    public static final ConfigKey<Duration> HEALTH_TIMEOUT = declare(ConfigKey.duration("db.health-timeout", null)
            .require(d -> !d.isZero(), NOT_ZERO));
    /**
     * Longest a socket read waits for a byte (pgjdbc {@code socketTimeout}, whole seconds); default the
     * statement timeout plus 5 s, else 15 minutes (see {@code NetworkSettings}). Never infinite.
     */
    public static final ConfigKey<Duration> NETWORK_TIMEOUT = declare(ConfigKey.duration("db.network-timeout", null)
            .require(d -> !d.isZero(), NOT_ZERO)
            .require(d -> d.toSeconds() < Integer.MAX_VALUE, "must be less than 68 years"));
    /** TCP keepalive: silence before the first probe (1 s resolution). */
    public static final ConfigKey<Duration> TCP_KEEPALIVE_IDLE = declare(ConfigKey.duration("db.tcp-keepalive-idle",
            Duration.ofMinutes(1)).require(d -> d.toSeconds() >= 1, "must be at least 1s")
            .require(d -> d.toSeconds() <= 32_767, "must be at most 32767s (the kernel's limit)"));
    /** TCP keepalive: time between probes (1 s resolution). */
    public static final ConfigKey<Duration> TCP_KEEPALIVE_INTERVAL = declare(ConfigKey.duration(
            "db.tcp-keepalive-interval", Duration.ofSeconds(15)).require(d -> d.toSeconds() >= 1, "must be at least 1s")
            .require(d -> d.toSeconds() <= 32_767, "must be at most 32767s (the kernel's limit)"));
    /** How a returned connection's SQL-level session state is reset. */
    public static final ConfigKey<String> POOL_RESET = declare(ConfigKey.choice("db.pool.reset", "auto", "auto", "always", "never"));
    /** Most checkouts allowed to wait at once; further ones are refused. Unlimited when unset. */
    public static final ConfigKey<Integer> POOL_MAX_WAITING = declare(ConfigKey.integer("db.pool.max-waiting", null, 0, Integer.MAX_VALUE));
    /** SQL run on every new connection (its baseline, re-applied after a reset). */
    public static final ConfigKey<String> POOL_INIT_SQL = declare(ConfigKey.text("db.pool.init-sql"));
    /** Register the pool's JMX view ({@link PoolMXBean}) under {@code dev.switchboard:type=Pool,name=...}. */
    public static final ConfigKey<Boolean> POOL_JMX = declare(ConfigKey.flag("db.pool.jmx", false));
    /**
     * The connection pooler in front of the server: {@code none}, or {@code pgbouncer-transaction}
     * (prepareThreshold=0, session state refused).
     */
    public static final ConfigKey<String> POOLER = declare(ConfigKey.choice("db.pooler", "none", "none",
            "pgbouncer-transaction"));
    /** The standbys for read-only work (read routing); none by default. */
    public static final ConfigKey<String> REPLICA_URL = declare(ConfigKey.text("db.replica.url"));
    /** Read-only work when no standby is in rotation: run it on the primary, or fail. */
    public static final ConfigKey<String> REPLICA_FALLBACK = declare(ConfigKey.choice("db.replica.fallback", "primary",
            "primary", "fail"));
    /** A standby whose replay lag exceeds this leaves the rotation; zero does not watch lag. */
    public static final ConfigKey<Duration> REPLICA_MAX_LAG = declare(ConfigKey.duration("db.replica.max-lag",
            Duration.ZERO));
    /** How often each standby is probed. */
    public static final ConfigKey<Duration> REPLICA_PROBE_INTERVAL = declare(ConfigKey.duration(
            "db.replica.probe-interval", Duration.ofSeconds(1)).require(d -> !d.isZero(), NOT_ZERO));
    /** A standby pool's minimum size; default {@code db.pool.min-size}. */
    public static final ConfigKey<Integer> REPLICA_POOL_MIN_SIZE = declare(ConfigKey.integer("db.replica.pool.min-size",
            null, 0, 100_000));
    /** A standby pool's maximum size; default {@code db.pool.max-size}. */
    public static final ConfigKey<Integer> REPLICA_POOL_MAX_SIZE = declare(ConfigKey.integer("db.replica.pool.max-size",
            null, 1, 100_000));
    /** A standby pool's checkout timeout; default {@code db.pool.checkout-timeout}. */
    public static final ConfigKey<Duration> REPLICA_POOL_CHECKOUT_TIMEOUT = declare(ConfigKey.duration(
            "db.replica.pool.checkout-timeout", null).require(d -> !d.isZero(), NOT_ZERO));
    /** A standby pool's idle timeout; default {@code db.pool.idle-timeout}. */
    public static final ConfigKey<Duration> REPLICA_POOL_IDLE_TIMEOUT = declare(ConfigKey.duration(
            "db.replica.pool.idle-timeout", null));
    /** A standby pool's connection lifetime; default {@code db.pool.max-lifetime}. */
    public static final ConfigKey<Duration> REPLICA_POOL_MAX_LIFETIME = declare(ConfigKey.duration(
            "db.replica.pool.max-lifetime", null));
    /** A standby pool's leak threshold; default {@code db.pool.leak-threshold}. */
    public static final ConfigKey<Duration> REPLICA_POOL_LEAK_THRESHOLD = declare(ConfigKey.duration(
            "db.replica.pool.leak-threshold", null));
    /** A standby pool's close timeout; default {@code db.pool.close-timeout}. */
    public static final ConfigKey<Duration> REPLICA_POOL_CLOSE_TIMEOUT = declare(ConfigKey.duration(
            "db.replica.pool.close-timeout", null));

    private DbKeys() {
    }

    private static <T> ConfigKey<T> declare(ConfigKey<T> key) {
        ALL.add(key);
        return key;
    }

    /** {@return every key of {@code db.api}, in declaration order} */
    public static List<ConfigKey<?>> all() {
        return Collections.unmodifiableList(ALL);
    }
}
