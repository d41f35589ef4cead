package db.api;

import db.api.internal.ConfigRegistry;
import db.api.internal.ConnectionParameters;
import db.api.internal.ConnectionUrl;
import db.api.internal.DriverCompatibility;
import db.api.internal.DriverProperties;
import db.api.internal.PasswordFile;
import db.api.internal.Secrets;
import db.api.internal.Durations;
import db.api.internal.LibpqEnvironment;
import db.api.spi.ConfigKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Immutable configuration of a {@link Database}. Build it with {@link #builder()},
 * {@link #fromProperties(Properties)} or {@link #fromEnvironment()}; every way validates every key and
 * reports every problem at once in one {@link ConfigException}, so an invalid {@code DbConfig} never exists.
 *
 * <p>Every key is declared once as a {@link ConfigKey}: {@code db.api}'s own in {@link DbKeys}, a provider
 * module's through {@link db.api.spi.ConfigKeySource}. A key under {@code db.} that nobody declares is an
 * error (with a "did you mean"), so a typo never goes unnoticed. The environment form of a key is the key
 * in upper case with dots and dashes turned into underscores ({@code db.pool.max-size} →
 * {@code DB_POOL_MAX_SIZE}). README.md's configuration table lists every key.
 *
 * <p>libpq's lower sources lie beneath the keys and the URL, in libpq's order: the connection service file
 * ({@code service=} in the URL, else {@code PGSERVICE}), then libpq's variables ({@code PGHOST},
 * {@code PGSSLMODE}, {@code PGSSLROOTCERT} ..., read by {@link #fromEnvironment()} only), then the password file
 * ({@code passfile}, {@code PGPASSFILE}, else {@code ~/.pgpass}) when no password is given otherwise. Each
 * supplies only what the sources above it leave unset (README.md, "Where each setting comes from").
 *
 * <p>Durations accept ISO-8601 ({@code PT30S}) or {@code 500ms}/{@code 30s}/{@code 10m}/{@code 1h}/{@code 1d}.
 *
 * <p>Secrets (the password, {@code sslpassword}, any key whose name makes it secret: see
 * {@link ConfigKey#isSecretName(String)}) never appear in {@link #toString()} or in a problem message, and
 * reach the driver only as {@link #connectionProperties()}, never inside {@link #jdbcUrl()}.
 */
public final class DbConfig {

    /** {@code db.url}. */
    public static final String URL = DbKeys.URL.name();
    /** {@code db.user}. */
    public static final String USER = DbKeys.USER.name();
    /** {@code db.password}. */
    public static final String PASSWORD = DbKeys.PASSWORD.name();
    /** {@code db.pool.min-size}. */
    public static final String POOL_MIN_SIZE = DbKeys.POOL_MIN_SIZE.name();
    /** {@code db.pool.max-size}. */
    public static final String POOL_MAX_SIZE = DbKeys.POOL_MAX_SIZE.name();
    /** {@code db.pool.checkout-timeout}. */
    public static final String POOL_CHECKOUT_TIMEOUT = DbKeys.POOL_CHECKOUT_TIMEOUT.name();
    /** {@code db.pool.idle-timeout}. */
    public static final String POOL_IDLE_TIMEOUT = DbKeys.POOL_IDLE_TIMEOUT.name();
    /** {@code db.pool.max-lifetime}. */
    public static final String POOL_MAX_LIFETIME = DbKeys.POOL_MAX_LIFETIME.name();
    /** {@code db.pool.leak-threshold}. */
    public static final String POOL_LEAK_THRESHOLD = DbKeys.POOL_LEAK_THRESHOLD.name();
    /** {@code db.pool.name}. */
    public static final String POOL_NAME = DbKeys.POOL_NAME.name();
    /** {@code db.pool.fail-fast}. */
    public static final String POOL_FAIL_FAST = DbKeys.POOL_FAIL_FAST.name();
    /** {@code db.connect-timeout}. */
    public static final String CONNECT_TIMEOUT = DbKeys.CONNECT_TIMEOUT.name();
    /** {@code db.statement-timeout}. */
    public static final String STATEMENT_TIMEOUT = DbKeys.STATEMENT_TIMEOUT.name();
    /** {@code db.application-name}. */
    public static final String APPLICATION_NAME = DbKeys.APPLICATION_NAME.name();
    /** {@code db.session-provider}. */
    public static final String SESSION_PROVIDER = DbKeys.SESSION_PROVIDER.name();

    private static final String PREFIX = "db.";

    private final ConnectionUrl url;
    private final String user;
    private final String password;
    private final String applicationName;
    /** Raw values as set (builder, properties, system properties), in order. */
    private final Map<String, String> values;
    /** Parsed values of the declared keys that were set (in values or the environment). */
    private final Map<String, Object> typed;
    /** The keys known when this config was built. */
    private final Map<String, ConfigKey<?>> keys;
    /** The URL's or DSN's parameters in pgjdbc's names. */
    private final Map<String, String> parameters;
    private final Map<String, String> driverProperties;
    private final Map<Class<?>, Object> extensions;
    /** The DB_* environment variables seen by fromEnvironment(): only those, so nothing else is held. */
    private final Map<String, String> environment;
    /** libpq's variables (PG*, HOME, APPDATA) seen by fromEnvironment(), for toBuilder(); never shown. */
    private final Map<String, String> libpq;
    private final List<ModuleLayer> layers;
    private final List<ConfigKey<?>> declared;

    private DbConfig(Builder b, ConnectionUrl url, Map<String, String> parameters, String user, String password,
                     String applicationName, Map<String, Object> typed, Map<String, ConfigKey<?>> keys,
                     boolean passwordFileRead) {
        this.url = url;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.user = user;
        this.password = password;
        this.applicationName = applicationName;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
        this.typed = Collections.unmodifiableMap(new LinkedHashMap<>(typed));
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.extensions = Map.copyOf(b.extensions);
        this.environment = Map.copyOf(b.environment);
        this.libpq = Map.copyOf(b.libpq);
        this.layers = List.copyOf(b.layers);
        this.declared = List.copyOf(b.declared);
        this.driverProperties = DriverProperties.of(this, this.parameters, passwordFileRead);
    }

    /** {@return a new builder with every default set} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the keys in property form ({@code db.url}, {@code db.pool.max-size} ...); keys outside {@code
     * db.} are ignored.
     *
     * @param properties the keys in property form, as text
     * @return the validated configuration
     */
    public static DbConfig fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        Builder b = builder();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                b.property(name, properties.getProperty(name));
            }
        }
        return b.build();
    }

    /**
     * Reads environment variables ({@code DB_URL}, {@code DB_POOL_MAX_SIZE} ...) of every declared key,
     * then system properties in property form ({@code -Ddb.url=...}) override them.
     *
     * @return the validated configuration
     */
    public static DbConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    /**
     * Like {@link #fromEnvironment()} with the given environment and system properties (for tests and tools).
     *
     * @param environment the environment variables, as {@link System#getenv()} gives them
     * @param systemProperties the system properties, as {@link System#getProperties()} gives them
     * @return the validated configuration
     */
    public static DbConfig fromEnvironment(Map<String, String> environment, Properties systemProperties) {
        return builderFromEnvironment(environment, systemProperties).build();
    }

    /**
     * A builder preloaded from the environment and system properties, for applications that add
     * defaults or extensions before building: values set on the builder afterwards win. Only the
     * environment variables of declared keys are read (others, such as {@code DB_TEST_URL}, are no error).
     *
     * @param environment the environment variables, as {@link System#getenv()} gives them
     * @param systemProperties the system properties, as {@link System#getProperties()} gives them
     * @return a builder holding what the environment and the system properties set
     */
    public static Builder builderFromEnvironment(Map<String, String> environment, Properties systemProperties) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(systemProperties, "systemProperties");
        Builder b = builder();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith("DB_") && e.getValue() != null) {
                b.environment.put(e.getKey(), e.getValue());
            }
            if ((e.getKey().startsWith("PG") || e.getKey().equals("HOME") || e.getKey().equals("APPDATA"))
                    && e.getValue() != null) {
                b.libpq.put(e.getKey(), e.getValue());
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                b.property(name, systemProperties.getProperty(name));
            }
        }
        return b;
    }

    /**
     * {@return the environment-variable form of a property-form key: {@code db.pool.max-size} → {@code
     * DB_POOL_MAX_SIZE}}
     *
     * @param key a key in property form, such as {@code db.pool.max-size}
     */
    public static String envName(String key) {
        return ConfigKey.envName(key);
    }

    /**
     * The JDBC URL the driver gets: {@code jdbc:postgresql://host:port[,host:port...]/database}. It carries
     * no parameter at all: user, password, every other secret and every driver setting travel in
     * {@link #connectionProperties()}, so no driver log line that prints the URL can show a secret.
     *
     * @return the JDBC URL, without user, password or parameters
     */
    public String jdbcUrl() {
        return url.toJdbcUrl();
    }

    /**
     * The driver properties that go with {@link #jdbcUrl()}, for every provider: user, password and other
     * secrets, the URL's or DSN's parameters translated to pgjdbc's names, connect and login timeouts,
     * {@code ApplicationName}, TCP keepalive, {@code statement_timeout} through {@code options}. Never log it.
     *
     * @return the driver properties, an unmodifiable map
     */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    /** {@return {@link #driverProperties()} as a fresh {@link Properties}, for {@code Driver.connect} and pools} */
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.putAll(driverProperties);
        return p;
    }

    /** {@return where the pool connects (the first host, port, database, user), for log lines and error messages} */
    public DatabaseTarget target() {
        return targets().get(0);
    }

    /** {@return every host of a multi-host URL or DSN, in the order written, with the database and user} */
    public List<DatabaseTarget> targets() {
        List<DatabaseTarget> targets = new ArrayList<>();
        for (ConnectionUrl.HostPort hp : url.hosts()) {
            targets.add(new DatabaseTarget(hp.host(), hp.port(), url.database(), user));
        }
        return List.copyOf(targets);
    }

    /** {@return the role name, if set (in {@code db.user} or in the URL)} */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** {@return the password, if set (in {@code db.password} or in the URL)} Never logged. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** {@return {@code db.pool.min-size}, default 2} */
    public int minSize() {
        return get(DbKeys.POOL_MIN_SIZE).orElseThrow();
    }

    /** {@return {@code db.pool.max-size}, default 10} */
    public int maxSize() {
        return get(DbKeys.POOL_MAX_SIZE).orElseThrow();
    }

    /** {@return {@code db.pool.checkout-timeout}, default 30s, never zero} */
    public Duration checkoutTimeout() {
        return get(DbKeys.POOL_CHECKOUT_TIMEOUT).orElseThrow();
    }

    /** {@return {@code db.pool.idle-timeout}, default 10m; zero keeps idle connections} */
    public Duration idleTimeout() {
        return get(DbKeys.POOL_IDLE_TIMEOUT).orElseThrow();
    }

    /** {@return {@code db.pool.max-lifetime}, default 30m; zero keeps connections forever} */
    public Duration maxLifetime() {
        return get(DbKeys.POOL_MAX_LIFETIME).orElseThrow();
    }

    /** {@return {@code db.pool.leak-threshold}, default zero (off)} */
    public Duration leakThreshold() {
        return get(DbKeys.POOL_LEAK_THRESHOLD).orElseThrow();
    }

    /** {@return {@code db.pool.name}, default {@code switchboard}} */
    public String poolName() {
        return get(DbKeys.POOL_NAME).orElseThrow();
    }

    /** {@return {@code db.pool.fail-fast}, default true} */
    public boolean failFast() {
        return get(DbKeys.POOL_FAIL_FAST).orElseThrow();
    }

    /** {@return {@code db.connect-timeout}, default 10s} */
    public Duration connectTimeout() {
        return get(DbKeys.CONNECT_TIMEOUT).orElseThrow();
    }

    /** {@return {@code db.statement-timeout}, if set (and not zero)} */
    public Optional<Duration> statementTimeout() {
        return get(DbKeys.STATEMENT_TIMEOUT).filter(d -> !d.isZero());
    }

    /**
     * The {@code application_name} sent to the server: the URL's {@code application_name}, else
     * {@code db.application-name}, else the URL's {@code fallback_application_name}, else {@code switchboard}.
     *
     * @return the application name the server sees
     */
    public String applicationName() {
        return applicationName;
    }

    /** {@return {@code db.session-provider}, if set} */
    public Optional<String> sessionProvider() {
        return get(DbKeys.SESSION_PROVIDER);
    }

    /**
     * The value of a key, typed: as set (checked at build when the key was declared then), else its default.
     *
     * @param key the key, with its type and default
     * @param <T> the type of the value
     * @return the value, else the key's default; empty when neither is there
     * @throws ConfigException when the key was not declared at build and its value is invalid
     */
    public <T> Optional<T> get(ConfigKey<T> key) {
        Objects.requireNonNull(key, "key");
        ConfigKey<?> known = keys.get(key.name());
        if (known != null && known.type() == key.type()) {
            Object value = typed.get(key.name());
            if (value != null) {
                return Optional.of(key.type().cast(value));
            }
            if (known.defaultValue().isPresent() && key.defaultValue().isEmpty()) {
                return Optional.of(key.type().cast(known.defaultValue().get()));
            }
            return key.defaultValue();
        }
        Optional<String> raw = property(key.name()).filter(v -> !v.isBlank());
        if (raw.isEmpty()) {
            return key.defaultValue();
        }
        try {
            return Optional.of(key.parse(raw.get()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * Any key in property form as text: the value set on the builder, in properties or as a system
     * property, else the environment variable of the same name ({@link #envName(String)}).
     *
     * @param key a key in property form, such as {@code db.pool.max-size}
     * @return the text set for the key, or empty
     */
    public Optional<String> property(String key) {
        String value = values.get(key);
        if (value == null) {
            value = environment.get(envName(key));
        }
        return Optional.ofNullable(value);
    }

    /**
     * A boolean key: {@code true}/{@code false} in any case, else the default.
     *
     * @param key a key in property form
     * @param defaultValue what an unset key means
     * @return the key's value, or {@code defaultValue} when it is not set
     * @throws ConfigException when set to something else
     */
    public boolean booleanProperty(String key, boolean defaultValue) {
        return get(ConfigKey.flag(key, defaultValue)).orElse(defaultValue);
    }

    /**
     * A duration key (ISO-8601 or 30s/500ms/10m), else the default.
     *
     * @param key a key in property form
     * @param defaultValue what an unset key means
     * @return the key's value, or {@code defaultValue} when it is not set
     * @throws ConfigException when set to something unparsable or negative
     */
    public Duration durationProperty(String key, Duration defaultValue) {
        return get(ConfigKey.duration(key, defaultValue)).orElse(defaultValue);
    }

    /** {@return the keys known when this config was built: {@link DbKeys}, then those of the modules found} */
    public List<ConfigKey<?>> declaredKeys() {
        return List.copyOf(keys.values());
    }

    /**
     * An object handed over in code for a provider, for example the application's {@code OpenTelemetry}
     * instance for the tracing module. Looked up by the exact class it was registered under.
     *
     * @param type the class the object was registered under
     * @param <T> the type of the value
     * @return the object, or empty when none was registered under {@code type}
     */
    public <T> Optional<T> extension(Class<T> type) {
        return Optional.ofNullable(type.cast(extensions.get(type)));
    }

    /** {@return a builder for another config starting from this one} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        b.extensions.putAll(extensions);
        b.environment.putAll(environment);
        b.libpq.putAll(libpq);
        b.layers.addAll(layers);
        b.declared.addAll(declared);
        return b;
    }

    /** Whether the value of {@code key} must never be shown. */
    private boolean isSecret(String key) {
        ConfigKey<?> known = keys.get(key);
        return (known != null && known.isSecret()) || ConfigKey.isSecretName(key);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DbConfig[url=").append(jdbcUrl());
        char sep = '?';
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(ConfigKey.isSecretName(e.getKey()) ? "****" : e.getValue());
            sep = '&';
        }
        sb.append(", user=").append(user);
        sb.append(", password=").append(password == null ? "(none)" : "****");
        sb.append(", pool=").append(poolName()).append(' ').append(minSize()).append("..").append(maxSize());
        sb.append(", checkoutTimeout=").append(Durations.format(checkoutTimeout()));
        sb.append(", idleTimeout=").append(Durations.format(idleTimeout()));
        sb.append(", maxLifetime=").append(Durations.format(maxLifetime()));
        sb.append(", leakThreshold=").append(Durations.format(leakThreshold()));
        sb.append(", failFast=").append(failFast());
        sb.append(", connectTimeout=").append(Durations.format(connectTimeout()));
        statementTimeout().ifPresent(t -> sb.append(", statementTimeout=").append(Durations.format(t)));
        sb.append(", applicationName=").append(applicationName);
        sessionProvider().ifPresent(p -> sb.append(", sessionProvider=").append(p));
        List<String> shown = List.of(URL, USER, PASSWORD, POOL_MIN_SIZE, POOL_MAX_SIZE, POOL_CHECKOUT_TIMEOUT,
                POOL_IDLE_TIMEOUT, POOL_MAX_LIFETIME, POOL_LEAK_THRESHOLD, POOL_NAME, POOL_FAIL_FAST, CONNECT_TIMEOUT,
                STATEMENT_TIMEOUT, APPLICATION_NAME, SESSION_PROVIDER);
        values.forEach((k, v) -> {
            if (!shown.contains(k)) {
                sb.append(", ").append(k).append('=').append(isSecret(k) ? "****" : ConnectionUrl.mask(v));
            }
        });
        return sb.append(']').toString();
    }

    /** Builds a {@link DbConfig}. Not thread-safe. Every setter stores the property form; {@link #build()} checks all. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        /** libpq's variables (PG*, HOME, APPDATA): beneath the keys and the URL. */
        private final Map<String, String> libpq = new LinkedHashMap<>();
        private final Map<Class<?>, Object> extensions = new LinkedHashMap<>();
        private final List<ModuleLayer> layers = new ArrayList<>();
        private final List<ConfigKey<?>> declared = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets {@code db.url}: JDBC URL, libpq URI or libpq key/value DSN.
         *
         * @param url the URL or DSN; it may carry user and password, which are never logged
         * @return this builder
         */
        public Builder url(String url) {
            return property(URL, url);
        }

        /**
         * Sets {@code db.user}.
         *
         * @param user the role to log in as
         * @return this builder
         */
        public Builder user(String user) {
            return property(USER, user);
        }

        /**
         * Sets {@code db.password}.
         *
         * @param password the password; never logged
         * @return this builder
         */
        public Builder password(String password) {
            return property(PASSWORD, password);
        }

        /**
         * Sets {@code db.pool.min-size}.
         *
         * @param minSize connections kept open even when idle
         * @return this builder
         */
        public Builder minSize(int minSize) {
            return property(POOL_MIN_SIZE, Integer.toString(minSize));
        }

        /**
         * Sets {@code db.pool.max-size}.
         *
         * @param maxSize the most connections the pool opens
         * @return this builder
         */
        public Builder maxSize(int maxSize) {
            return property(POOL_MAX_SIZE, Integer.toString(maxSize));
        }

        /**
         * Sets {@code db.pool.checkout-timeout}.
         *
         * @param timeout how long a checkout waits for a free connection; not zero
         * @return this builder
         */
        public Builder checkoutTimeout(Duration timeout) {
            return duration(POOL_CHECKOUT_TIMEOUT, timeout);
        }

        /**
         * Sets {@code db.pool.idle-timeout}.
         *
         * @param timeout how long a connection above the minimum may stay idle; zero keeps it
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            return duration(POOL_IDLE_TIMEOUT, timeout);
        }

        /**
         * Sets {@code db.pool.max-lifetime}.
         *
         * @param lifetime how long a connection may live before it is replaced; zero keeps it forever
         * @return this builder
         */
        public Builder maxLifetime(Duration lifetime) {
            return duration(POOL_MAX_LIFETIME, lifetime);
        }

        /**
         * Sets {@code db.pool.leak-threshold}; zero turns leak reports off.
         *
         * @param threshold how long a session may stay open before it is reported as leaked
         * @return this builder
         */
        public Builder leakThreshold(Duration threshold) {
            return duration(POOL_LEAK_THRESHOLD, threshold);
        }

        /**
         * Sets {@code db.pool.name}.
         *
         * @param name the pool's name, in logs, metrics and JMX
         * @return this builder
         */
        public Builder poolName(String name) {
            return property(POOL_NAME, name);
        }

        /**
         * Sets {@code db.pool.fail-fast}.
         *
         * @param failFast whether {@link Database#open(DbConfig)} fails when the database does not answer
         * @return this builder
         */
        public Builder failFast(boolean failFast) {
            return property(POOL_FAIL_FAST, Boolean.toString(failFast));
        }

        /**
         * Sets {@code db.connect-timeout}.
         *
         * @param timeout how long one connection attempt may take
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            return duration(CONNECT_TIMEOUT, timeout);
        }

        /**
         * Sets {@code db.statement-timeout}; {@code null} for none.
         *
         * @param timeout the server-side {@code statement_timeout}; {@code null} for none
         * @return this builder
         */
        public Builder statementTimeout(Duration timeout) {
            return duration(STATEMENT_TIMEOUT, timeout);
        }

        /**
         * Sets {@code db.application-name}.
         *
         * @param name the {@code application_name} the server shows
         * @return the application name the server sees
         */
        public Builder applicationName(String name) {
            return property(APPLICATION_NAME, name);
        }

        /**
         * Sets {@code db.session-provider}.
         *
         * @param name the {@code name()} of the session provider to use
         * @return this builder
         */
        public Builder sessionProvider(String name) {
            return property(SESSION_PROVIDER, name);
        }

        /**
         * Any key in property form ({@code db.pool.max-size}, {@code db.errors.include-detail}), as text;
         * {@code null} removes it. Keys under {@code db.} must be declared ({@link DbKeys}, a module's
         * {@link db.api.spi.ConfigKeySource}, or {@link #declare(ConfigKey[])}).
         *
         * @param key a key in property form, such as {@code db.pool.max-size}
         * @param value the value as text; {@code null} removes the key
         * @return the text set for the key, or empty
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
         *
         * @param supplier asked for the password of each new physical connection
         * @return this builder
         */
        public Builder passwordSupplier(db.api.spi.PasswordSupplier supplier) {
            return extension(db.api.spi.PasswordSupplier.class, supplier);
        }

        /**
         * Sets a declared key from a typed value ({@code null} removes it).
         *
         * @param key a declared key
         * @param value the value; {@code null} removes the key
         * @param <T> the type of the value
         * @return this builder
         */
        public <T> Builder set(ConfigKey<T> key, T value) {
            Objects.requireNonNull(key, "key");
            if (!declared.contains(key) && !DbKeys.all().contains(key)) {
                declared.add(key);
            }
            String text = value == null ? null : value instanceof Duration d ? d.toString() : String.valueOf(value);
            return property(key.name(), text);
        }

        /**
         * Declares keys the application itself reads (a provider module uses {@link db.api.spi.ConfigKeySource}).
         *
         * @param keys the keys to declare
         * @return this builder
         */
        public Builder declare(ConfigKey<?>... keys) {
            for (ConfigKey<?> key : keys) {
                declared.add(Objects.requireNonNull(key, "key"));
            }
            return this;
        }

        /**
         * Also knows the keys declared by the modules of {@code layer} (and its parents), for providers that
         * {@link Database#open(DbConfig, ModuleLayer)} will find there rather than in the boot layer.
         *
         * @param layer the layer whose modules' {@link db.api.spi.ConfigKeySource}s are read
         * @return this builder
         */
        public Builder declareFrom(ModuleLayer layer) {
            layers.add(Objects.requireNonNull(layer, "layer"));
            return this;
        }

        /**
         * Hands an object to providers, looked up with {@link DbConfig#extension(Class)}.
         *
         * @param type the class the object was registered under
         * @param value the object, an instance of {@code type}
         * @param <T> the type of the value
         * @return the object, or empty when none was registered under {@code type}
         */
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

        /**
         * Validates and builds; throws {@link ConfigException} listing every problem.
         *
         * @return the validated configuration
         */
        public DbConfig build() {
            List<String> problems = new ArrayList<>();
            Map<String, ConfigKey<?>> keys = ConfigRegistry.keys(declared, layers, problems);
            Map<String, Object> typed = new LinkedHashMap<>();

            for (String key : values.keySet()) {
                if (key.startsWith(PREFIX) && !keys.containsKey(key)) {
                    problems.add(ConfigRegistry.unknownKey(key, keys.keySet()));
                }
            }
            for (ConfigKey<?> key : keys.values()) {
                String raw = values.get(key.name());
                if (raw == null) {
                    raw = environment.get(key.envName());
                }
                if (raw == null || raw.isBlank()) {
                    continue;
                }
                try {
                    typed.put(key.name(), key.parse(raw));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }

            ConnectionUrl url = null;
            Map<String, String> parameters = Map.of();
            List<String> foundSecrets = new ArrayList<>();
            libpq.forEach((variable, value) -> {
                if (variable.contains("PASSWORD")) {
                    foundSecrets.add(value);
                }
            });
            String rawUrl = (String) typed.get(URL);
            ConnectionUrl written = null;
            if (rawUrl != null) {
                try {
                    written = ConnectionUrl.parse(rawUrl);
                } catch (IllegalArgumentException e) {
                    problems.add(URL + ": " + e.getMessage());
                }
            } else if (LibpqEnvironment.namesTarget(libpq)) {
                written = ConnectionUrl.unwritten();
            } else if (problems.stream().noneMatch(p -> p.startsWith(URL + ":"))) {
                problems.add(URL + " is required (a JDBC URL like jdbc:postgresql://localhost:5432/app, "
                        + "a URI like postgresql://user@localhost/app, or a DSN like 'host=localhost dbname=app'; "
                        + "environment variable " + envName(URL) + "; or libpq's PGHOST, PGDATABASE or PGSERVICE)");
            }
            if (written != null) {
                LibpqEnvironment.Resolved resolved = LibpqEnvironment.beneath(written, libpq, problems);
                url = resolved.url();
                foundSecrets.addAll(resolved.secrets());
                if (url.database() == null || url.database().isEmpty()) {
                    problems.add(URL + " names no database (add /name to a URL, or dbname=name to a DSN)");
                }
                Map<String, String> translated = ConnectionParameters.translate(url.parameters(),
                        url.parametersAfterSecret(), resolved.origins(), problems);
                // An explicit key beats what libpq's lower sources supply (a value written in the URL still
                // beats the key, as before: see DriverProperties).
                resolved.origins().keySet().forEach(name -> {
                    String property = ConnectionParameters.pgjdbcName(name);
                    if ((property.equals("ApplicationName") && typed.containsKey(APPLICATION_NAME))
                            || (property.equals("connectTimeout") && typed.containsKey(CONNECT_TIMEOUT))) {
                        translated.remove(property);
                    }
                });
                parameters = translated;
                problems.addAll(DriverCompatibility.problems(parameters, DriverCompatibility.visible(layers)));
            }

            String user = (String) typed.get(USER);
            if (user == null && url != null) {
                user = url.user();
            }
            String password = values.get(PASSWORD);
            if (password == null) {
                password = environment.get(envName(PASSWORD));
            }
            if (password == null && url != null) {
                password = url.password();
            }
            boolean passwordFileRead = false;
            if (password == null && url != null && !extensions.containsKey(db.api.spi.PasswordSupplier.class)) {
                PasswordFile.Lookup lookup = PasswordFile.find(PasswordFile.location(url, libpq), url,
                        user != null ? user : System.getProperty("user.name"), problems);
                password = lookup.password();
                passwordFileRead = lookup.fileExists();
                if (password != null) {
                    foundSecrets.add(password);
                }
            }

            Integer min = (Integer) typed.get(POOL_MIN_SIZE);
            Integer max = (Integer) typed.get(POOL_MAX_SIZE);
            int minSize = min != null ? min : DbKeys.POOL_MIN_SIZE.defaultValue().orElseThrow();
            int maxSize = max != null ? max : DbKeys.POOL_MAX_SIZE.defaultValue().orElseThrow();
            boolean sizesValid = problems.stream().noneMatch(p -> p.startsWith(POOL_MIN_SIZE) || p.startsWith(POOL_MAX_SIZE));
            if (minSize > maxSize && sizesValid) {
                problems.add(POOL_MIN_SIZE + " (" + minSize + ") must not exceed " + POOL_MAX_SIZE + " (" + maxSize + ")");
            }

            if (!problems.isEmpty()) {
                List<String> secrets = secrets(keys, url);
                secrets.addAll(foundSecrets);
                throw new ConfigException(Secrets.scrub(problems, secrets));
            }
            String applicationName = parameters.get("ApplicationName");
            if (applicationName == null) {
                applicationName = (String) typed.get(APPLICATION_NAME);
            }
            if (applicationName == null) {
                applicationName = url.parameters().get("fallback_application_name");
            }
            if (applicationName == null) {
                applicationName = DbKeys.APPLICATION_NAME.defaultValue().orElseThrow();
            }
            return new DbConfig(this, url, parameters, user, password, applicationName, typed, keys,
                    passwordFileRead);
        }

        /** Every secret value this builder holds, to scrub from problem messages as a last line of defence. */
        private List<String> secrets(Map<String, ConfigKey<?>> keys, ConnectionUrl url) {
            List<String> secrets = new ArrayList<>();
            Map<String, String> all = new LinkedHashMap<>();
            environment.forEach((k, v) -> all.put(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v));
            all.putAll(values);
            all.forEach((k, v) -> {
                ConfigKey<?> key = keys.get(k);
                if ((key != null && key.isSecret()) || ConfigKey.isSecretName(k)) {
                    secrets.add(v);
                }
            });
            String rawUrl = values.getOrDefault(URL, environment.get(envName(URL)));
            if (rawUrl != null) {
                secrets.addAll(Secrets.candidates(rawUrl));
            }
            if (url != null) {
                if (url.password() != null) {
                    secrets.add(url.password());
                }
                url.parameters().forEach((k, v) -> {
                    if (ConfigKey.isSecretName(k)) {
                        secrets.add(v);
                    }
                });
            }
            return secrets;
        }
    }
}
