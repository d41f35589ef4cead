package db.api;

import db.api.internal.ConfigResolver;
import db.api.internal.ConnectionUrl;
import db.api.internal.Durations;
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
 * reach the driver only as its connection properties, never inside {@link #jdbcUrl()}.
 */
public final class DbConfig {


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
    /** The URL's or DSN's parameters in pgjdbc's names, with what libpq's sources and the TLS rules added. */
    private final Map<String, String> parameters;
    /** What resolution ignored with a warning (a password file others may read), for the engine to log. */
    private final List<String> warnings;
    private final Map<Class<?>, Object> extensions;
    /** The DB_* environment variables seen by fromEnvironment(): only those, so nothing else is held. */
    private final Map<String, String> environment;
    /** libpq's variables (PG*, HOME, APPDATA) seen by fromEnvironment(), for toBuilder(); never shown. */
    private final Map<String, String> libpq;
    private final List<ModuleLayer> layers;
    private final List<ConfigKey<?>> declared;

    private DbConfig(Builder b, ConfigResolver.Resolved r) {
        this.url = r.url();
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(r.parameters()));
        this.user = r.user();
        this.password = r.password();
        this.applicationName = r.applicationName();
        this.warnings = List.copyOf(r.warnings());
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
        this.typed = Collections.unmodifiableMap(new LinkedHashMap<>(r.typed()));
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(r.keys()));
        this.extensions = Map.copyOf(b.extensions);
        this.environment = Map.copyOf(b.environment);
        this.libpq = Map.copyOf(b.libpq);
        this.layers = List.copyOf(b.layers);
        this.declared = List.copyOf(b.declared);
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
            if (name.startsWith(ConfigResolver.PREFIX)) {
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
            if (name.startsWith(ConfigResolver.PREFIX)) {
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
     * the driver's connection properties, so no driver log line that prints the URL can show a secret.
     *
     * @return the JDBC URL, without user, password or parameters
     */
    public String jdbcUrl() {
        return url.toJdbcUrl();
    }

    /**
     * The connection parameters in pgjdbc's names, as resolved: the URL's or DSN's, what libpq's service file
     * and variables supply beneath them, and what the TLS rules set ({@code sslmode}, Switchboard's socket
     * factory). The engine derives the driver's properties from them and this configuration's keys; they
     * may hold secrets ({@code sslpassword}): never log them. An empty {@code password} is there when libpq's
     * password file was read (or ignored, as libpq ignores a file others may read) and gave none, so that
     * pgjdbc does not read the file itself by rules that check no permissions.
     *
     * @return the parameters, an unmodifiable map
     */
    public Map<String, String> urlParameters() {
        return parameters;
    }

    /**
     * What resolving this configuration ignored with a warning (a password file others may read, one that
     * cannot be read), worded for a log line and free of secrets; the engine logs them when it opens a
     * {@link Database}.
     *
     * @return the warnings, in the order they arose
     */
    public List<String> warnings() {
        return warnings;
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
        List<String> shown = ConfigResolver.SHOWN_BY_NAME;
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
            return property(DbKeys.URL.name(), url);
        }

        /**
         * Sets {@code db.user}.
         *
         * @param user the role to log in as
         * @return this builder
         */
        public Builder user(String user) {
            return property(DbKeys.USER.name(), user);
        }

        /**
         * Sets {@code db.password}.
         *
         * @param password the password; never logged
         * @return this builder
         */
        public Builder password(String password) {
            return property(DbKeys.PASSWORD.name(), password);
        }

        /**
         * Sets {@code db.pool.min-size}.
         *
         * @param minSize connections kept open even when idle
         * @return this builder
         */
        public Builder minSize(int minSize) {
            return property(DbKeys.POOL_MIN_SIZE.name(), Integer.toString(minSize));
        }

        /**
         * Sets {@code db.pool.max-size}.
         *
         * @param maxSize the most connections the pool opens
         * @return this builder
         */
        public Builder maxSize(int maxSize) {
            return property(DbKeys.POOL_MAX_SIZE.name(), Integer.toString(maxSize));
        }

        /**
         * Sets {@code db.pool.checkout-timeout}.
         *
         * @param timeout how long a checkout waits for a free connection; not zero
         * @return this builder
         */
        public Builder checkoutTimeout(Duration timeout) {
            return duration(DbKeys.POOL_CHECKOUT_TIMEOUT.name(), timeout);
        }

        /**
         * Sets {@code db.pool.idle-timeout}.
         *
         * @param timeout how long a connection above the minimum may stay idle; zero keeps it
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            return duration(DbKeys.POOL_IDLE_TIMEOUT.name(), timeout);
        }

        /**
         * Sets {@code db.pool.max-lifetime}.
         *
         * @param lifetime how long a connection may live before it is replaced; zero keeps it forever
         * @return this builder
         */
        public Builder maxLifetime(Duration lifetime) {
            return duration(DbKeys.POOL_MAX_LIFETIME.name(), lifetime);
        }

        /**
         * Sets {@code db.pool.leak-threshold}; zero turns leak reports off.
         *
         * @param threshold how long a session may stay open before it is reported as leaked
         * @return this builder
         */
        public Builder leakThreshold(Duration threshold) {
            return duration(DbKeys.POOL_LEAK_THRESHOLD.name(), threshold);
        }

        /**
         * Sets {@code db.pool.name}.
         *
         * @param name the pool's name, in logs, metrics and JMX
         * @return this builder
         */
        public Builder poolName(String name) {
            return property(DbKeys.POOL_NAME.name(), name);
        }

        /**
         * Sets {@code db.pool.fail-fast}.
         *
         * @param failFast whether {@link Database#open(DbConfig)} fails when the database does not answer
         * @return this builder
         */
        public Builder failFast(boolean failFast) {
            return property(DbKeys.POOL_FAIL_FAST.name(), Boolean.toString(failFast));
        }

        /**
         * Sets {@code db.connect-timeout}.
         *
         * @param timeout how long one connection attempt may take
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            return duration(DbKeys.CONNECT_TIMEOUT.name(), timeout);
        }

        /**
         * Sets {@code db.statement-timeout}; {@code null} for none.
         *
         * @param timeout the server-side {@code statement_timeout}; {@code null} for none
         * @return this builder
         */
        public Builder statementTimeout(Duration timeout) {
            return duration(DbKeys.STATEMENT_TIMEOUT.name(), timeout);
        }

        /**
         * Sets {@code db.application-name}.
         *
         * @param name the {@code application_name} the server shows
         * @return the application name the server sees
         */
        public Builder applicationName(String name) {
            return property(DbKeys.APPLICATION_NAME.name(), name);
        }

        /**
         * Sets {@code db.session-provider}.
         *
         * @param name the {@code name()} of the session provider to use
         * @return this builder
         */
        public Builder sessionProvider(String name) {
            return property(DbKeys.SESSION_PROVIDER.name(), name);
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
            ConfigResolver.Resolved r = ConfigResolver.resolve(values, environment, libpq, extensions.keySet(),
                    layers, declared);
            return new DbConfig(this, r);
        }
    }
}
