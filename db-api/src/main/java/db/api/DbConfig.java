package db.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Immutable configuration of a {@link Database}. Build it with {@link #builder()},
 * {@link #fromProperties(Properties)} or {@link #fromEnvironment()}; every way validates and
 * reports every problem at once in one {@link ConfigException}.
 *
 * <p>Keys (property form / environment form): {@code db.url} / {@code DB_URL} (a JDBC URL or a
 * libpq URI or key/value DSN), {@code db.user}, {@code db.password}, {@code db.pool.min-size} (2),
 * {@code db.pool.max-size} (10), {@code db.pool.checkout-timeout} (30s), {@code db.pool.idle-timeout}
 * (10m), {@code db.pool.max-lifetime} (30m), {@code db.pool.leak-threshold} (0 = off),
 * {@code db.pool.name} (switchboard), {@code db.pool.fail-fast} (true), {@code db.connect-timeout}
 * (10s), {@code db.statement-timeout} (none), {@code db.application-name} (switchboard),
 * {@code db.session-provider}. Any other {@code db.*} key is kept for providers
 * ({@link #property(String)}), e.g. {@code db.errors.include-detail}.
 *
 * <p>{@link #toString()} never shows the password, also not inside a URL or DSN.
 */
public final class DbConfig {
    // IMPLEMENTATION PENDING — owned by the DbConfig work item.
    private DbConfig() {
    }

    /** A new builder with every default set. */
    public static Builder builder() {
        throw new UnsupportedOperationException();
    }

    /** Reads the keys from properties (property form, {@code db.url} ...). */
    public static DbConfig fromProperties(Properties properties) {
        throw new UnsupportedOperationException();
    }

    /** Reads environment variables ({@code DB_URL} ...), then system properties ({@code db.url} ...) override. */
    public static DbConfig fromEnvironment() {
        throw new UnsupportedOperationException();
    }

    /** Like {@link #fromEnvironment()} with the given environment and system properties (for tests). */
    public static DbConfig fromEnvironment(Map<String, String> environment, Properties systemProperties) {
        throw new UnsupportedOperationException();
    }

    /** The JDBC URL the driver gets: {@code jdbc:postgresql://host:port/db?params}, with no user or password in it. */
    public String jdbcUrl() { throw new UnsupportedOperationException(); }

    /** Where the pool connects (host, port, database, user). */
    public DatabaseTarget target() { throw new UnsupportedOperationException(); }

    /** The role name, if set (in {@code db.user} or in the URL). */
    public Optional<String> user() { throw new UnsupportedOperationException(); }

    /** The password, if set. Never logged. */
    public Optional<String> password() { throw new UnsupportedOperationException(); }

    /** Driver properties from the URL's query or the DSN's extra keys (e.g. {@code sslmode}). */
    public Map<String, String> driverProperties() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.min-size}, default 2. */
    public int minSize() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.max-size}, default 10. */
    public int maxSize() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.checkout-timeout}, default 30s, never zero. */
    public Duration checkoutTimeout() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.idle-timeout}, default 10m. */
    public Duration idleTimeout() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.max-lifetime}, default 30m. */
    public Duration maxLifetime() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.leak-threshold}, default zero (off). */
    public Duration leakThreshold() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.name}, default {@code switchboard}. */
    public String poolName() { throw new UnsupportedOperationException(); }

    /** {@code db.pool.fail-fast}, default true. */
    public boolean failFast() { throw new UnsupportedOperationException(); }

    /** {@code db.connect-timeout}, default 10s. */
    public Duration connectTimeout() { throw new UnsupportedOperationException(); }

    /** {@code db.statement-timeout}, if set. */
    public Optional<Duration> statementTimeout() { throw new UnsupportedOperationException(); }

    /** {@code db.application-name}, default {@code switchboard}. */
    public String applicationName() { throw new UnsupportedOperationException(); }

    /** {@code db.session-provider}, if set. */
    public Optional<String> sessionProvider() { throw new UnsupportedOperationException(); }

    /** Any other {@code db.*} key, for providers and instrumenters. */
    public Optional<String> property(String key) { throw new UnsupportedOperationException(); }

    /** A boolean {@code db.*} key; {@code true}/{@code false} case-insensitively, else the default. */
    public boolean booleanProperty(String key, boolean defaultValue) { throw new UnsupportedOperationException(); }

    /** A duration {@code db.*} key (ISO-8601 or 30s/500ms/10m), else the default. */
    public Duration durationProperty(String key, Duration defaultValue) { throw new UnsupportedOperationException(); }

    /** A builder for another config starting from this one. */
    public Builder toBuilder() { throw new UnsupportedOperationException(); }

    /** Builds a {@link DbConfig}. Not thread-safe. */
    public static final class Builder {
        private Builder() {
        }

        /** {@code db.url}: JDBC URL, libpq URI or libpq key/value DSN. */
        public Builder url(String url) { throw new UnsupportedOperationException(); }
        /** {@code db.user}. */
        public Builder user(String user) { throw new UnsupportedOperationException(); }
        /** {@code db.password}. */
        public Builder password(String password) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.min-size}. */
        public Builder minSize(int minSize) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.max-size}. */
        public Builder maxSize(int maxSize) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.checkout-timeout}. */
        public Builder checkoutTimeout(Duration timeout) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.idle-timeout}. */
        public Builder idleTimeout(Duration timeout) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.max-lifetime}. */
        public Builder maxLifetime(Duration lifetime) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.leak-threshold}; zero turns leak reports off. */
        public Builder leakThreshold(Duration threshold) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.name}. */
        public Builder poolName(String name) { throw new UnsupportedOperationException(); }
        /** {@code db.pool.fail-fast}. */
        public Builder failFast(boolean failFast) { throw new UnsupportedOperationException(); }
        /** {@code db.connect-timeout}. */
        public Builder connectTimeout(Duration timeout) { throw new UnsupportedOperationException(); }
        /** {@code db.statement-timeout}; {@code null} for none. */
        public Builder statementTimeout(Duration timeout) { throw new UnsupportedOperationException(); }
        /** {@code db.application-name}. */
        public Builder applicationName(String name) { throw new UnsupportedOperationException(); }
        /** {@code db.session-provider}. */
        public Builder sessionProvider(String name) { throw new UnsupportedOperationException(); }
        /** Any key in property form ({@code db.pool.max-size}, {@code db.errors.include-detail}), as text. */
        public Builder property(String key, String value) { throw new UnsupportedOperationException(); }
        /** Validates and builds; throws {@link ConfigException} listing every problem. */
        public DbConfig build() { throw new UnsupportedOperationException(); }
    }
}
