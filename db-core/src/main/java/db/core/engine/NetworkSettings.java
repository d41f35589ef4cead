package db.core.engine;

import db.api.DbConfig;
import db.core.support.KeepAliveSocketFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounds on a silent network, as driver properties: the socket read timeout ({@code db.network-timeout})
 * and TCP keepalive in seconds instead of hours ({@code db.tcp-keepalive-idle},
 * {@code db.tcp-keepalive-interval}) through {@link KeepAliveSocketFactory}.
 *
 * <p>The default network timeout is the statement timeout plus {@link #MARGIN}: the server answers every
 * statement by then (with its result or with 57014), so only a network or server that went silent is
 * cut. Without a statement timeout it is {@link #WITHOUT_STATEMENT_TIMEOUT}: finite, so that a stall
 * never hangs a caller for good, and long enough for the long maintenance statements an application
 * runs without a statement timeout. A vanished peer is noticed sooner by keepalive (about
 * {@code idle + 4 × interval}, 2 minutes by default) even while a statement runs, because the peer's
 * kernel answers keepalive probes only while it is there.
 */
public final class NetworkSettings {

    /** {@code db.network-timeout}: the longest a socket read waits for a byte. */
    public static final String NETWORK_TIMEOUT = "db.network-timeout";
    /** {@code db.tcp-keepalive-idle}: silence before the first keepalive probe. */
    public static final String KEEPALIVE_IDLE = "db.tcp-keepalive-idle";
    /** {@code db.tcp-keepalive-interval}: time between keepalive probes. */
    public static final String KEEPALIVE_INTERVAL = "db.tcp-keepalive-interval";

    /** Added to the statement timeout: the server's cancel, its error and a busy network fit in it. */
    public static final Duration MARGIN = Duration.ofSeconds(5);
    /** The network timeout when no statement timeout is set. */
    public static final Duration WITHOUT_STATEMENT_TIMEOUT = Duration.ofMinutes(15);
    /** Default {@code db.tcp-keepalive-idle}. */
    public static final Duration DEFAULT_KEEPALIVE_IDLE = Duration.ofMinutes(1);
    /** Default {@code db.tcp-keepalive-interval}. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
    /** Unanswered probes before the kernel declares the connection dead. */
    public static final int KEEPALIVE_COUNT = 4;

    private NetworkSettings() {
    }

    /** The effective network timeout of {@code config} (explicit, else derived; never zero). */
    public static Duration networkTimeout(DbConfig config) {
        Duration explicit = config.durationProperty(NETWORK_TIMEOUT, null);
        if (explicit != null && !explicit.isZero() && !explicit.isNegative()) {
            return explicit;
        }
        return config.statementTimeout().filter(t -> !t.isZero()).map(t -> t.plus(MARGIN))
                .orElse(WITHOUT_STATEMENT_TIMEOUT);
    }

    /** Keepalive idle time of {@code config}. */
    public static Duration keepAliveIdle(DbConfig config) {
        return positive(config.durationProperty(KEEPALIVE_IDLE, DEFAULT_KEEPALIVE_IDLE), DEFAULT_KEEPALIVE_IDLE);
    }

    /** Keepalive probe interval of {@code config}. */
    public static Duration keepAliveInterval(DbConfig config) {
        return positive(config.durationProperty(KEEPALIVE_INTERVAL, DEFAULT_KEEPALIVE_INTERVAL),
                DEFAULT_KEEPALIVE_INTERVAL);
    }

    /**
     * pgjdbc's {@code socketTimeout}, {@code tcpKeepAlive} and the keepalive socket factory with its timers,
     * for {@code config}. The caller adds them unless the URL set them itself (the URL wins, as for every
     * parameter).
     */
    public static Map<String, String> driverProperties(DbConfig config) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("socketTimeout", Long.toString(ceilSeconds(networkTimeout(config))));
        p.put("tcpKeepAlive", "true");
        p.put("socketFactory", KeepAliveSocketFactory.class.getName());
        p.put(KeepAliveSocketFactory.IDLE_PROPERTY, Long.toString(ceilSeconds(keepAliveIdle(config))));
        p.put(KeepAliveSocketFactory.INTERVAL_PROPERTY, Long.toString(ceilSeconds(keepAliveInterval(config))));
        p.put(KeepAliveSocketFactory.COUNT_PROPERTY, Integer.toString(KEEPALIVE_COUNT));
        return p;
    }

    private static Duration positive(Duration d, Duration fallback) {
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }

    /** Whole seconds, rounded up, at least 1: pgjdbc counts seconds and 0 means "forever". */
    static long ceilSeconds(Duration d) {
        return Math.max(1, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
    }
}
