package db.api;

import db.api.internal.ConnectionUrl;
import db.api.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Immutable configuration of a {@link Database}. Build it with {@link #builder()},
 * {@link #fromProperties(Properties)} or {@link #fromEnvironment()}; every way validates and reports
 * every problem at once in one {@link ConfigException}, so an invalid {@code DbConfig} never exists.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>property</th><th>environment</th><th>default</th><th>meaning</th></tr>
 * <tr><td>db.url</td><td>DB_URL</td><td>(required)</td><td>JDBC URL, libpq URI or key/value DSN</td></tr>
 * <tr><td>db.user</td><td>DB_USER</td><td>from the URL</td><td>role name</td></tr>
 * <tr><td>db.password</td><td>DB_PASSWORD</td><td>from the URL</td><td>never logged</td></tr>
 * <tr><td>db.pool.min-size</td><td>DB_POOL_MIN_SIZE</td><td>2</td><td>connections kept open</td></tr>
 * <tr><td>db.pool.max-size</td><td>DB_POOL_MAX_SIZE</td><td>10</td><td>upper bound</td></tr>
 * <tr><td>db.pool.checkout-timeout</td><td>DB_POOL_CHECKOUT_TIMEOUT</td><td>30s</td><td>longest wait for a connection; never infinite</td></tr>
 * <tr><td>db.pool.idle-timeout</td><td>DB_POOL_IDLE_TIMEOUT</td><td>10m</td><td>idle connections above min-size close after this</td></tr>
 * <tr><td>db.pool.max-lifetime</td><td>DB_POOL_MAX_LIFETIME</td><td>30m</td><td>connections are replaced after this</td></tr>
 * <tr><td>db.pool.leak-threshold</td><td>DB_POOL_LEAK_THRESHOLD</td><td>0 (off)</td><td>report sessions open longer</td></tr>
 * <tr><td>db.pool.name</td><td>DB_POOL_NAME</td><td>switchboard</td><td>in logs, metrics and JMX</td></tr>
 * <tr><td>db.pool.fail-fast</td><td>DB_POOL_FAIL_FAST</td><td>true</td><td>fail at open when the database does not answer</td></tr>
 * <tr><td>db.connect-timeout</td><td>DB_CONNECT_TIMEOUT</td><td>10s</td><td>TCP connect and login</td></tr>
 * <tr><td>db.statement-timeout</td><td>DB_STATEMENT_TIMEOUT</td><td>none</td><td>server-side {@code statement_timeout}</td></tr>
 * <tr><td>db.application-name</td><td>DB_APPLICATION_NAME</td><td>switchboard</td><td>in {@code pg_stat_activity}</td></tr>
 * <tr><td>db.session-provider</td><td>DB_SESSION_PROVIDER</td><td>the only one</td><td>chooses a provider by name</td></tr>
 * </table>
 *
 * <p>Durations accept ISO-8601 ({@code PT30S}) or {@code 500ms}/{@code 30s}/{@code 10m}/{@code 1h}.
 * Any other {@code db.*} key (for example {@code db.errors.include-detail} or {@code db.tracing.query-text})
 * is kept for providers and read with {@link #property(String)}; its environment form is the key in
 * upper case with dots and dashes turned into underscores.
 *
 * <p>{@link #toString()} never shows the password, also not inside a URL or DSN.
 */
public final class DbConfig {

    /** Property-form names of the keys {@code DbConfig} itself interprets. */
    public static final String URL = "db.url";
    /** {@code db.user}. */
    public static final String USER = "db.user";
    /** {@code db.password}. */
    public static final String PASSWORD = "db.password";
    /** {@code db.pool.min-size}. */
    public static final String POOL_MIN_SIZE = "db.pool.min-size";
    /** {@code db.pool.max-size}. */
    public static final String POOL_MAX_SIZE = "db.pool.max-size";
    /** {@code db.pool.checkout-timeout}. */
    public static final String POOL_CHECKOUT_TIMEOUT = "db.pool.checkout-timeout";
    /** {@code db.pool.idle-timeout}. */
    public static final String POOL_IDLE_TIMEOUT = "db.pool.idle-timeout";
    /** {@code db.pool.max-lifetime}. */
    public static final String POOL_MAX_LIFETIME = "db.pool.max-lifetime";
    /** {@code db.pool.leak-threshold}. */
    public static final String POOL_LEAK_THRESHOLD = "db.pool.leak-threshold";
    /** {@code db.pool.name}. */
    public static final String POOL_NAME = "db.pool.name";
    /** {@code db.pool.fail-fast}. */
    public static final String POOL_FAIL_FAST = "db.pool.fail-fast";
    /** {@code db.connect-timeout}. */
    public static final String CONNECT_TIMEOUT = "db.connect-timeout";
    /** {@code db.statement-timeout}. */
    public static final String STATEMENT_TIMEOUT = "db.statement-timeout";
    /** {@code db.application-name}. */
    public static final String APPLICATION_NAME = "db.application-name";
    /** {@code db.session-provider}. */
    public static final String SESSION_PROVIDER = "db.session-provider";

    private static final List<String> KNOWN_KEYS = List.of(URL, USER, PASSWORD, POOL_MIN_SIZE, POOL_MAX_SIZE,
            POOL_CHECKOUT_TIMEOUT, POOL_IDLE_TIMEOUT, POOL_MAX_LIFETIME, POOL_LEAK_THRESHOLD, POOL_NAME,
            POOL_FAIL_FAST, CONNECT_TIMEOUT, STATEMENT_TIMEOUT, APPLICATION_NAME, SESSION_PROVIDER);

    private final ConnectionUrl url;
    private final String user;
    private final String password;
    private final int minSize;
    private final int maxSize;
    private final Duration checkoutTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration leakThreshold;
    private final String poolName;
    private final boolean failFast;
    private final Duration connectTimeout;
    private final Duration statementTimeout;
    private final String applicationName;
    private final String sessionProvider;
    private final Map<String, String> values;
    private final Map<Class<?>, Object> extensions;
    /** The DB_* environment variables seen by fromEnvironment(): only those, so nothing else is held. */
    private final Map<String, String> environment;

    private DbConfig(Parser p, Map<String, String> values, Map<Class<?>, Object> extensions,
                     Map<String, String> environment) {
        this.url = p.url;
        this.user = p.user;
        this.password = p.password;
        this.minSize = p.minSize;
        this.maxSize = p.maxSize;
        this.checkoutTimeout = p.checkoutTimeout;
        this.idleTimeout = p.idleTimeout;
        this.maxLifetime = p.maxLifetime;
        this.leakThreshold = p.leakThreshold;
        this.poolName = p.poolName;
        this.failFast = p.failFast;
        this.connectTimeout = p.connectTimeout;
        this.statementTimeout = p.statementTimeout;
        this.applicationName = p.applicationName;
        this.sessionProvider = p.sessionProvider;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.extensions = Map.copyOf(extensions);
        this.environment = Map.copyOf(environment);
    }

    /** A new builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reads the keys in property form ({@code db.url}, {@code db.pool.max-size} ...); other keys are ignored. */
    public static DbConfig fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        Builder b = builder();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("db.")) {
                b.property(name, properties.getProperty(name));
            }
        }
        return b.build();
    }

    /**
     * Reads environment variables ({@code DB_URL}, {@code DB_POOL_MAX_SIZE} ...), then system properties
     * in property form ({@code -Ddb.url=...}) override them.
     */
    public static DbConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    /** Like {@link #fromEnvironment()} with the given environment and system properties (for tests and tools). */
    public static DbConfig fromEnvironment(Map<String, String> environment, Properties systemProperties) {
        return builderFromEnvironment(environment, systemProperties).build();
    }

    /**
     * A builder preloaded from the environment and system properties, for applications that add
     * defaults or extensions before building: values set on the builder afterwards win.
     */
    public static Builder builderFromEnvironment(Map<String, String> environment, Properties systemProperties) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(systemProperties, "systemProperties");
        Builder b = builder();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("DB_")) {
                b.environment.put(key, e.getValue());
            }
        }
        for (String key : KNOWN_KEYS) {
            String value = environment.get(envName(key));
            if (value != null) {
                b.property(key, value);
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith("db.")) {
                b.property(name, systemProperties.getProperty(name));
            }
        }
        return b;
    }

    /** The environment-variable form of a property-form key: {@code db.pool.max-size} → {@code DB_POOL_MAX_SIZE}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The JDBC URL the driver gets: {@code jdbc:postgresql://host:port/db?params}, with no user or password in it. */
    public String jdbcUrl() {
        return url.toJdbcUrl();
    }

    /** Where the pool connects (host, port, database, user), for log lines and error messages. */
    public DatabaseTarget target() {
        ConnectionUrl.HostPort first = url.hosts().get(0);
        return new DatabaseTarget(first.host(), first.port(), url.database(), user);
    }

    /** The role name, if set (in {@code db.user} or in the URL). */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The password, if set (in {@code db.password} or in the URL). Never logged. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Driver properties from the URL's query or the DSN's other keys (e.g. {@code sslmode}). */
    public Map<String, String> driverProperties() {
        return url.parameters();
    }

    /** {@code db.pool.min-size}, default 2. */
    public int minSize() {
        return minSize;
    }

    /** {@code db.pool.max-size}, default 10. */
    public int maxSize() {
        return maxSize;
    }

    /** {@code db.pool.checkout-timeout}, default 30s, never zero. */
    public Duration checkoutTimeout() {
        return checkoutTimeout;
    }

    /** {@code db.pool.idle-timeout}, default 10m; zero keeps idle connections. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** {@code db.pool.max-lifetime}, default 30m; zero keeps connections forever. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** {@code db.pool.leak-threshold}, default zero (off). */
    public Duration leakThreshold() {
        return leakThreshold;
    }

    /** {@code db.pool.name}, default {@code switchboard}. */
    public String poolName() {
        return poolName;
    }

    /** {@code db.pool.fail-fast}, default true. */
    public boolean failFast() {
        return failFast;
    }

    /** {@code db.connect-timeout}, default 10s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@code db.statement-timeout}, if set (and not zero). */
    public Optional<Duration> statementTimeout() {
        return Optional.ofNullable(statementTimeout);
    }

    /** {@code db.application-name}, default {@code switchboard}. */
    public String applicationName() {
        return applicationName;
    }

    /** {@code db.session-provider}, if set. */
    public Optional<String> sessionProvider() {
        return Optional.ofNullable(sessionProvider);
    }

    /**
     * Any {@code db.*} key in property form: the value set on the builder, in properties or as a
     * system property, else the environment variable of the same name ({@link #envName(String)}).
     */
    public Optional<String> property(String key) {
        String value = values.get(key);
        if (value == null) {
            value = environmentValue(key);
        }
        return Optional.ofNullable(value);
    }

    /**
     * A boolean key: {@code true}/{@code false} in any case, else the default.
     *
     * @throws ConfigException when set to something else
     */
    public boolean booleanProperty(String key, boolean defaultValue) {
        Optional<String> value = property(key);
        if (value.isEmpty() || value.get().isBlank()) {
            return defaultValue;
        }
        Boolean parsed = parseBoolean(value.get());
        if (parsed == null) {
            throw new ConfigException(key + ": '" + value.get() + "' is not true or false");
        }
        return parsed;
    }

    /**
     * A duration key (ISO-8601 or 30s/500ms/10m), else the default.
     *
     * @throws ConfigException when set to something unparsable
     */
    public Duration durationProperty(String key, Duration defaultValue) {
        Optional<String> value = property(key);
        if (value.isEmpty() || value.get().isBlank()) {
            return defaultValue;
        }
        try {
            return Durations.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    /**
     * An object handed over in code for a provider, for example the application's {@code OpenTelemetry}
     * instance for the tracing module. Looked up by the exact class it was registered under.
     */
    public <T> Optional<T> extension(Class<T> type) {
        return Optional.ofNullable(type.cast(extensions.get(type)));
    }

    /** A builder for another config starting from this one. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        b.extensions.putAll(extensions);
        b.environment.putAll(environment);
        return b;
    }

    private String environmentValue(String key) {
        return environment.get(envName(key));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DbConfig[url=").append(jdbcUrl());
        sb.append(", user=").append(user);
        sb.append(", password=").append(password == null ? "(none)" : "****");
        sb.append(", pool=").append(poolName).append(' ').append(minSize).append("..").append(maxSize);
        sb.append(", checkoutTimeout=").append(Durations.format(checkoutTimeout));
        sb.append(", idleTimeout=").append(Durations.format(idleTimeout));
        sb.append(", maxLifetime=").append(Durations.format(maxLifetime));
        sb.append(", leakThreshold=").append(Durations.format(leakThreshold));
        sb.append(", failFast=").append(failFast);
        sb.append(", connectTimeout=").append(Durations.format(connectTimeout));
        if (statementTimeout != null) {
            sb.append(", statementTimeout=").append(Durations.format(statementTimeout));
        }
        sb.append(", applicationName=").append(applicationName);
        if (sessionProvider != null) {
            sb.append(", sessionProvider=").append(sessionProvider);
        }
        values.forEach((k, v) -> {
            if (!KNOWN_KEYS.contains(k)) {
                sb.append(", ").append(k).append('=').append(isSecret(k) ? "****" : ConnectionUrl.mask(v));
            }
        });
        return sb.append(']').toString();
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token");
    }

    static Boolean parseBoolean(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return Boolean.TRUE;
        }
        if (t.equals("false")) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** Builds a {@link DbConfig}. Not thread-safe. Every setter stores the property form; {@link #build()} checks all. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<Class<?>, Object> extensions = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code db.url}: JDBC URL, libpq URI or libpq key/value DSN. */
        public Builder url(String url) {
            return property(URL, url);
        }

        /** {@code db.user}. */
        public Builder user(String user) {
            return property(USER, user);
        }

        /** {@code db.password}. */
        public Builder password(String password) {
            return property(PASSWORD, password);
        }

        /** {@code db.pool.min-size}. */
        public Builder minSize(int minSize) {
            return property(POOL_MIN_SIZE, Integer.toString(minSize));
        }

        /** {@code db.pool.max-size}. */
        public Builder maxSize(int maxSize) {
            return property(POOL_MAX_SIZE, Integer.toString(maxSize));
        }

        /** {@code db.pool.checkout-timeout}. */
        public Builder checkoutTimeout(Duration timeout) {
            return duration(POOL_CHECKOUT_TIMEOUT, timeout);
        }

        /** {@code db.pool.idle-timeout}. */
        public Builder idleTimeout(Duration timeout) {
            return duration(POOL_IDLE_TIMEOUT, timeout);
        }

        /** {@code db.pool.max-lifetime}. */
        public Builder maxLifetime(Duration lifetime) {
            return duration(POOL_MAX_LIFETIME, lifetime);
        }

        /** {@code db.pool.leak-threshold}; zero turns leak reports off. */
        public Builder leakThreshold(Duration threshold) {
            return duration(POOL_LEAK_THRESHOLD, threshold);
        }

        /** {@code db.pool.name}. */
        public Builder poolName(String name) {
            return property(POOL_NAME, name);
        }

        /** {@code db.pool.fail-fast}. */
        public Builder failFast(boolean failFast) {
            return property(POOL_FAIL_FAST, Boolean.toString(failFast));
        }

        /** {@code db.connect-timeout}. */
        public Builder connectTimeout(Duration timeout) {
            return duration(CONNECT_TIMEOUT, timeout);
        }

        /** {@code db.statement-timeout}; {@code null} for none. */
        public Builder statementTimeout(Duration timeout) {
            return duration(STATEMENT_TIMEOUT, timeout);
        }

        /** {@code db.application-name}. */
        public Builder applicationName(String name) {
            return property(APPLICATION_NAME, name);
        }

        /** {@code db.session-provider}. */
        public Builder sessionProvider(String name) {
            return property(SESSION_PROVIDER, name);
        }

        /**
         * Any key in property form ({@code db.pool.max-size}, {@code db.errors.include-detail}), as text;
         * {@code null} removes it.
         */
        public Builder property(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
            return this;
        }

        /**
         * Asks {@code supplier} for the password of every new physical connection instead of using
         * {@code db.password} (rotated passwords, short-lived tokens). The value is never logged.
         */
        public Builder passwordSupplier(db.api.spi.PasswordSupplier supplier) {
            return extension(db.api.spi.PasswordSupplier.class, supplier);
        }

        /** Hands an object to providers, looked up with {@link DbConfig#extension(Class)}. */
        public <T> Builder extension(Class<T> type, T value) {
            Objects.requireNonNull(type, "type");
            if (value == null) {
                extensions.remove(type);
            } else {
                extensions.put(type, type.cast(value));
            }
            return this;
        }

        private Builder duration(String key, Duration value) {
            return property(key, value == null ? null : value.toString());
        }

        /** Validates and builds; throws {@link ConfigException} listing every problem. */
        public DbConfig build() {
            Parser parser = new Parser(values);
            parser.parse();
            if (!parser.problems.isEmpty()) {
                throw new ConfigException(parser.problems);
            }
            return new DbConfig(parser, values, extensions, environment);
        }
    }

    /** Turns the property-form values into typed fields, collecting every problem. */
    private static final class Parser {
        private static final Set<String> SIZE_KEYS = Set.of(POOL_MIN_SIZE, POOL_MAX_SIZE);

        private final Map<String, String> values;
        private final List<String> problems = new ArrayList<>();
        ConnectionUrl url;
        String user;
        String password;
        int minSize;
        int maxSize;
        Duration checkoutTimeout;
        Duration idleTimeout;
        Duration maxLifetime;
        Duration leakThreshold;
        String poolName;
        boolean failFast;
        Duration connectTimeout;
        Duration statementTimeout;
        String applicationName;
        String sessionProvider;

        Parser(Map<String, String> values) {
            this.values = values;
        }

        void parse() {
            String rawUrl = text(URL);
            if (rawUrl == null) {
                problems.add(URL + " is required (a JDBC URL like jdbc:postgresql://localhost:5432/app, "
                        + "a URI like postgresql://user@localhost/app, or a DSN like 'host=localhost dbname=app'; "
                        + "environment variable " + envName(URL) + ")");
            } else {
                try {
                    url = ConnectionUrl.parse(rawUrl);
                    if (url.database() == null || url.database().isEmpty()) {
                        problems.add(URL + " names no database: '" + ConnectionUrl.mask(rawUrl) + "'");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(URL + ": " + e.getMessage());
                }
            }
            user = text(USER);
            if (user == null && url != null) {
                user = url.user();
            }
            password = values.get(PASSWORD);
            if (password == null && url != null) {
                password = url.password();
            }
            minSize = integer(POOL_MIN_SIZE, 2, 0);
            maxSize = integer(POOL_MAX_SIZE, 10, 1);
            if (minSize > maxSize && noProblemAbout(SIZE_KEYS)) {
                problems.add(POOL_MIN_SIZE + " (" + minSize + ") must not exceed " + POOL_MAX_SIZE + " (" + maxSize + ")");
            }
            checkoutTimeout = duration(POOL_CHECKOUT_TIMEOUT, Duration.ofSeconds(30), false);
            idleTimeout = duration(POOL_IDLE_TIMEOUT, Duration.ofMinutes(10), true);
            maxLifetime = duration(POOL_MAX_LIFETIME, Duration.ofMinutes(30), true);
            leakThreshold = duration(POOL_LEAK_THRESHOLD, Duration.ZERO, true);
            connectTimeout = duration(CONNECT_TIMEOUT, Duration.ofSeconds(10), false);
            Duration st = duration(STATEMENT_TIMEOUT, Duration.ZERO, true);
            statementTimeout = st.isZero() ? null : st;
            poolName = name(POOL_NAME, "switchboard");
            applicationName = name(APPLICATION_NAME, "switchboard");
            sessionProvider = text(SESSION_PROVIDER);
            String ff = text(POOL_FAIL_FAST);
            failFast = true;
            if (ff != null) {
                Boolean parsed = parseBoolean(ff);
                if (parsed == null) {
                    problems.add(POOL_FAIL_FAST + ": '" + ff + "' is not true or false");
                } else {
                    failFast = parsed;
                }
            }
        }

        /** Whether no problem was reported for these keys yet (a bad size makes min/max moot). */
        private boolean noProblemAbout(Set<String> keys) {
            return problems.stream().noneMatch(p -> keys.stream().anyMatch(p::startsWith));
        }

        private String text(String key) {
            String v = values.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        private int integer(String key, int defaultValue, int min) {
            String v = text(key);
            if (v == null) {
                return defaultValue;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min) {
                    problems.add(key + ": " + n + " is less than " + min);
                    return defaultValue;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(key + ": '" + v + "' is not a whole number");
                return defaultValue;
            }
        }

        private Duration duration(String key, Duration defaultValue, boolean zeroAllowed) {
            String v = text(key);
            if (v == null) {
                return defaultValue;
            }
            try {
                Duration d = Durations.parse(v);
                if (d.isNegative()) {
                    problems.add(key + ": '" + v + "' is negative");
                    return defaultValue;
                }
                if (d.isZero() && !zeroAllowed) {
                    problems.add(key + ": must be greater than zero (an infinite wait is never what you want)");
                    return defaultValue;
                }
                return d;
            } catch (IllegalArgumentException e) {
                problems.add(key + ": " + e.getMessage());
                return defaultValue;
            }
        }

        private String name(String key, String defaultValue) {
            String v = text(key);
            if (v == null) {
                return defaultValue;
            }
            if (v.length() > 63) {
                problems.add(key + ": '" + v + "' is longer than 63 characters");
            }
            return v;
        }
    }
}
