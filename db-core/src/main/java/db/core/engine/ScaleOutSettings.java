package db.core.engine;

import db.api.ConfigException;
import db.api.DbConfig;
import db.api.DbKeys;
import db.api.spi.WrittenUrl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scale-out keys ({@code db.replica.*}, {@code db.pooler}) read once, and the configurations derived
 * from them: the primary's (multi-host target, transaction-pooler settings) and one per standby.
 * Immutable.
 */
final class ScaleOutSettings {
    static final String REPLICA_URL = "db.replica.url";
    static final String REPLICA_POOL_PREFIX = "db.replica.pool.";
    static final String REPLICA_MAX_LAG = "db.replica.max-lag";
    static final String REPLICA_PROBE_INTERVAL = "db.replica.probe-interval";
    static final String REPLICA_FALLBACK = "db.replica.fallback";
    static final String POOLER = "db.pooler";

    static final String POOLER_NONE = "none";
    static final String POOLER_PGBOUNCER_TRANSACTION = "pgbouncer-transaction";

    /** What read-only work does when no standby is in rotation. */
    enum Fallback { PRIMARY, FAIL }

    private static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

    private final DbConfig primary;
    private final List<DbConfig> replicas;
    private final List<String> replicaServers;
    private final Duration maxLag;
    private final Duration probeInterval;
    private final Fallback fallback;
    private final boolean transactionPooler;

    private ScaleOutSettings(DbConfig primary, List<DbConfig> replicas, List<String> replicaServers, Duration maxLag,
                             Duration probeInterval, Fallback fallback, boolean transactionPooler) {
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        this.replicaServers = List.copyOf(replicaServers);
        this.maxLag = maxLag;
        this.probeInterval = probeInterval;
        this.fallback = fallback;
        this.transactionPooler = transactionPooler;
    }

    /**
     * Reads the keys and derives the configurations.
     *
     * @throws ConfigException listing every problem with these keys
     */
    static ScaleOutSettings of(DbConfig config) {
        List<String> problems = new ArrayList<>();
        String pooler = config.property(POOLER).map(String::trim).map(s -> s.toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).orElse(POOLER_NONE);
        boolean transactionPooler = false;
        if (pooler.equals(POOLER_PGBOUNCER_TRANSACTION)) {
            transactionPooler = true;
        } else if (!pooler.equals(POOLER_NONE)) {
            problems.add(POOLER + ": '" + pooler + "' is not one of " + POOLER_NONE + ", " + POOLER_PGBOUNCER_TRANSACTION);
        }
        Duration maxLag = duration(config, REPLICA_MAX_LAG, Duration.ZERO, problems);
        Duration probeInterval = duration(config, REPLICA_PROBE_INTERVAL, DEFAULT_PROBE_INTERVAL, problems);
        if (probeInterval.isZero()) {
            problems.add(REPLICA_PROBE_INTERVAL + ": must be greater than zero");
            probeInterval = DEFAULT_PROBE_INTERVAL;
        }
        String fallbackText = config.property(REPLICA_FALLBACK).map(String::trim)
                .map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).orElse("primary");
        Fallback fallback = Fallback.PRIMARY;
        if (fallbackText.equals("fail")) {
            fallback = Fallback.FAIL;
        } else if (!fallbackText.equals("primary")) {
            problems.add(REPLICA_FALLBACK + ": '" + fallbackText + "' is not primary or fail");
        }

        DbConfig primary = config;
        Map<String, String> primaryParams = new LinkedHashMap<>();
        // No db.url when libpq's variables or a service name the target; the hosts are then the resolved ones.
        WrittenUrl primaryUrl = config.property(DbKeys.URL.name()).map(WrittenUrl::parse)
                .orElseGet(() -> new WrittenUrl(List.of(), null, null, Map.of()));
        List<WrittenUrl.Host> primaryHosts = new ArrayList<>();
        config.targets().forEach(t -> primaryHosts.add(new WrittenUrl.Host(t.host(), t.port())));
        if (primaryHosts.size() > 1 && !DriverProperties.of(config).containsKey("targetServerType")) {
            // Several hosts: only the one that accepts writes may serve the primary pool.
            primaryParams.put("targetServerType", "primary");
        }
        if (transactionPooler) {
            poolerParameters(primaryUrl, primaryParams, problems, DbKeys.URL.name());
            if (config.property("db.pool.reset").map(String::trim).filter("always"::equalsIgnoreCase).isPresent()) {
                problems.add("db.pool.reset=always cannot work behind " + POOLER + "=" + POOLER_PGBOUNCER_TRANSACTION
                        + ": the server session is not this connection's after the transaction (PgBouncer resets "
                        + "server connections itself); leave it unset");
            }
            String initSql = config.property("db.pool.init-sql").orElse(null);
            if (initSql != null) {
                try {
                    new TransactionPoolerGuard().check(initSql);
                } catch (java.sql.SQLException e) {
                    // A connection's baseline set once per server connection would land on whichever server
                    // connection PgBouncer chose for that one transaction.
                    problems.add("db.pool.init-sql: " + e.getMessage());
                }
            }
            if (config.statementTimeout().isPresent()) {
                problems.add("db.statement-timeout cannot work behind " + POOLER + "=" + POOLER_PGBOUNCER_TRANSACTION
                        + ": it travels in the 'options' startup parameter, which PgBouncer refuses; set "
                        + "statement_timeout per role or database (ALTER ROLE ... SET statement_timeout) instead");
            }
        }
        if (!primaryParams.isEmpty()) {
            // The rebuilt URL never carries credentials: keep the ones the original URL had.
            DbConfig.Builder b = config.toBuilder().url(withParameters(primaryUrl, primaryHosts, primaryParams));
            config.user().ifPresent(b::user);
            config.password().ifPresent(b::password);
            primary = b.build();
        }

        List<DbConfig> replicas = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        String replicaText = config.property(REPLICA_URL).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (replicaText != null) {
            WrittenUrl replicaUrl = null;
            try {
                replicaUrl = WrittenUrl.parse(replicaText);
            } catch (IllegalArgumentException e) {
                problems.add(REPLICA_URL + ": " + e.getMessage());
            }
            if (replicaUrl != null) {
                Map<String, String> params = new LinkedHashMap<>();
                if (transactionPooler) {
                    poolerParameters(replicaUrl, params, problems, REPLICA_URL);
                }
                for (WrittenUrl.Host host : replicaUrl.hosts()) {
                    String name = config.poolName() + "-replica"
                            + (replicaUrl.hosts().size() == 1 ? "" : "-" + (servers.size() + 1));
                    try {
                        replicas.add(replicaConfig(config, replicaUrl, host, params, name));
                        servers.add(host.toString());
                    } catch (ConfigException e) {
                        problems.addAll(e.problems());
                    }
                }
            }
        } else if (!maxLag.isZero()) {
            problems.add(REPLICA_MAX_LAG + " is set but " + REPLICA_URL + " is not: there is no standby to watch");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ScaleOutSettings(primary, replicas, servers, maxLag, probeInterval, fallback, transactionPooler);
    }

    private static DbConfig replicaConfig(DbConfig config, WrittenUrl url, WrittenUrl.Host host,
                                          Map<String, String> extraParams, String poolName) {
        DbConfig.Builder b = config.toBuilder()
                .url(withParameters(url, List.of(host), extraParams))
                .poolName(poolName)
                // A standby that is down at startup must not stop the application: reads fall back.
                .failFast(false)
                .property(REPLICA_URL, null);
        if (url.user() == null) {
            config.user().ifPresent(b::user);
            config.password().ifPresent(b::password);
        }
        String[] pooled = {"min-size", "max-size", "checkout-timeout", "idle-timeout", "max-lifetime",
            "leak-threshold", "close-timeout"};
        for (String key : pooled) {
            String value = config.property(REPLICA_POOL_PREFIX + key).orElse(null);
            if (value != null) {
                b.property("db.pool." + key, value);
            }
        }
        return b.build();
    }

    /** prepareThreshold=0 behind a transaction pooler: a server-side statement would not survive the transaction. */
    private static void poolerParameters(WrittenUrl url, Map<String, String> params, List<String> problems,
                                         String key) {
        String threshold = parameter(url, "prepareThreshold");
        if (threshold == null) {
            params.put("prepareThreshold", "0");
        } else if (!threshold.trim().equals("0")) {
            problems.add(key + ": prepareThreshold=" + threshold + " cannot work with " + POOLER + "="
                    + POOLER_PGBOUNCER_TRANSACTION + " (a server-side prepared statement does not survive the "
                    + "transaction); remove it or set 0");
        }
    }

    private static String parameter(WrittenUrl url, String name) {
        for (Map.Entry<String, String> e : url.parameters().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A pgjdbc URL for {@code hosts} with the URL's parameters plus {@code extra}; never a user or password. */
    private static String withParameters(WrittenUrl url, List<WrittenUrl.Host> hosts,
                                         Map<String, String> extra) {
        StringBuilder sb = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(hosts.get(i));
        }
        sb.append('/').append(url.database() == null ? "" : encode(url.database()));
        Map<String, String> params = new LinkedHashMap<>(url.parameters());
        params.putAll(extra);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Duration duration(DbConfig config, String key, Duration defaultValue, List<String> problems) {
        try {
            Duration d = config.durationProperty(key, defaultValue);
            if (d.isNegative()) {
                problems.add(key + ": must not be negative");
                return defaultValue;
            }
            return d;
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return defaultValue;
        }
    }

    /** The primary pool's configuration (with the multi-host and pooler parameters). */
    DbConfig primary() {
        return primary;
    }

    /** One configuration per standby host, in the order listed; empty without {@code db.replica.url}. */
    List<DbConfig> replicas() {
        return replicas;
    }

    /** {@code host:port} of each standby, in the order of {@link #replicas()}. */
    List<String> replicaServers() {
        return replicaServers;
    }

    /** {@code db.replica.max-lag}; zero when lag is not watched. */
    Duration maxLag() {
        return maxLag;
    }

    /** {@code db.replica.probe-interval}, default 1s. */
    Duration probeInterval() {
        return probeInterval;
    }

    /** {@code db.replica.fallback}, default {@link Fallback#PRIMARY}. */
    Fallback fallback() {
        return fallback;
    }

    /** Whether {@code db.pooler=pgbouncer-transaction}. */
    boolean transactionPooler() {
        return transactionPooler;
    }
}
