package db.api.spi;

import db.api.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One configuration key, declared once: its name (property form), environment name, type, default,
 * validation and whether its value is a secret. {@link db.api.DbConfig} checks every declared key when
 * it is built and reports all problems in one {@link db.api.ConfigException}; values are then read
 * typed with {@link db.api.DbConfig#get(ConfigKey)}.
 *
 * <p>Switchboard's own keys are in {@link db.api.DbKeys}; a provider module declares the keys it reads
 * through {@link ConfigKeySource}, one line each:
 * <pre>{@code
 * static final ConfigKey<Duration> WARMUP = ConfigKey.duration("db.acme.warmup", Duration.ofSeconds(5));
 * static final ConfigKey<String> API_KEY = ConfigKey.text("db.acme.api-key");      // secret by its name
 * static final ConfigKey<Integer> SHARDS = ConfigKey.integer("db.acme.shards", 4, 1, 64);
 * }</pre>
 *
 * <p><b>Secrets.</b> A key is secret when {@link #secret()} says so or when its name contains
 * {@code password}, {@code passwd}, {@code pwd}, {@code secret}, {@code token} or {@code credential}, or has
 * {@code key} as a word ({@code api-key}, {@code private_key}, {@code db.acme.key}): see
 * {@link #isSecretName(String)}. Secret values never appear in messages or {@code toString()}.
 *
 * @param <T> the value's type
 */
public final class ConfigKey<T> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");
    private static final Pattern SECRET_WORDS = Pattern.compile("password|passwd|pwd|secret|token|credential");
    private static final Pattern KEY_WORD = Pattern.compile("(^|[._-])(api|private|access|signing|encryption)?key([._-]|$)");

    private final String name;
    private final Class<T> type;
    private final String kind;
    private final T defaultValue;
    private final boolean secret;
    private final Function<String, T> parser;
    private final List<Check<T>> checks;

    private record Check<T>(Predicate<? super T> test, String requirement) {
    }

    private ConfigKey(String name, Class<T> type, String kind, T defaultValue, boolean secret,
                      Function<String, T> parser, List<Check<T>> checks) {
        this.name = name;
        this.type = type;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.parser = parser;
        this.checks = List.copyOf(checks);
    }

    private static <T> ConfigKey<T> of(String name, Class<T> type, String kind, T defaultValue,
                                       Function<String, T> parser) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key name is words of letters and digits joined by '.', '-' or '_': " + name);
        }
        return new ConfigKey<>(name, type, kind, defaultValue, isSecretName(name), parser, List.of());
    }

    /**
     * Free text, no default.
     *
     * @param name the property-form name
     * @return the key
     */
    public static ConfigKey<String> text(String name) {
        return text(name, null);
    }

    /**
     * Free text; surrounding blanks are trimmed.
     *
     * @param name         the property-form name
     * @param defaultValue the default, {@code null} for none
     * @return the key
     */
    public static ConfigKey<String> text(String name, String defaultValue) {
        return of(name, String.class, "text", defaultValue, String::trim);
    }

    /**
     * {@code true} or {@code false} in any case.
     *
     * @param name         the property-form name
     * @param defaultValue the default
     * @return the key
     */
    public static ConfigKey<Boolean> flag(String name, boolean defaultValue) {
        return of(name, Boolean.class, "true or false", defaultValue, text -> {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true")) {
                return Boolean.TRUE;
            }
            if (t.equals("false")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("is not true or false");
        });
    }

    /**
     * A whole number between {@code min} and {@code max}.
     *
     * @param name         the property-form name
     * @param defaultValue the default, {@code null} for none
     * @param min          the smallest value allowed
     * @param max          the largest value allowed
     * @return the key
     */
    public static ConfigKey<Integer> integer(String name, Integer defaultValue, int min, int max) {
        ConfigKey<Integer> key = of(name, Integer.class, "a whole number", defaultValue, text -> {
            try {
                return Integer.valueOf(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a whole number");
            }
        });
        return key.require(n -> n >= min, "must be at least " + min)
                .require(n -> n <= max, "must be at most " + max);
    }

    /**
     * A duration, ISO-8601 ({@code PT30S}) or a number with a unit ({@code 500ms}, {@code 30s},
     * {@code 10m}, {@code 1h}, {@code 1d}); never negative.
     *
     * @param name         the property-form name
     * @param defaultValue the default, {@code null} for none
     * @return the key
     */
    public static ConfigKey<Duration> duration(String name, Duration defaultValue) {
        return of(name, Duration.class, "a duration", defaultValue, Durations::parse)
                .require(d -> !d.isNegative(), "must not be negative");
    }

    /**
     * One of {@code allowed} (compared without case, stored in lower case).
     *
     * @param name         the property-form name
     * @param defaultValue the default, {@code null} for none
     * @param allowed      the values allowed, in lower case
     * @return the key
     */
    public static ConfigKey<String> choice(String name, String defaultValue, String... allowed) {
        List<String> values = List.of(allowed);
        String list = String.join(", ", values);
        return of(name, String.class, "one of " + list, defaultValue, text -> {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (!values.contains(t)) {
                throw new IllegalArgumentException("is not one of " + list);
            }
            return t;
        });
    }

    /**
     * The same key, its value a secret whatever its name.
     *
     * @return the secret key
     */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, type, kind, defaultValue, true, parser, checks);
    }

    /**
     * The same key with one more check; {@code requirement} completes "{@code db.x: 5 ...}", for example
     * {@code "must be greater than zero"}.
     *
     * @param test        what a valid value passes
     * @param requirement the rule in words, shown when a value fails it
     * @return the key with the check
     */
    public ConfigKey<T> require(Predicate<? super T> test, String requirement) {
        List<Check<T>> more = new ArrayList<>(checks);
        more.add(new Check<>(Objects.requireNonNull(test, "test"), Objects.requireNonNull(requirement, "requirement")));
        return new ConfigKey<>(name, type, kind, defaultValue, secret, parser, more);
    }

    /**
     * The property-form name, {@code db.pool.max-size}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The environment-variable form, {@code DB_POOL_MAX_SIZE}.
     *
     * @return the environment variable's name
     */
    public String envName() {
        return envName(name);
    }

    /**
     * The environment-variable form of any property-form name.
     *
     * @param name a property-form name
     * @return its environment variable's name
     */
    public static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The value's type.
     *
     * @return the type
     */
    public Class<T> type() {
        return type;
    }

    /**
     * What a value looks like, for documentation and messages ({@code "a duration"}).
     *
     * @return the description
     */
    public String kind() {
        return kind;
    }

    /**
     * The default, if any.
     *
     * @return the default
     */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * Whether the value is a secret (never shown).
     *
     * @return true for a secret
     */
    public boolean isSecret() {
        return secret;
    }

    /**
     * Parses and checks {@code text}.
     *
     * @param text the value as written
     * @return the value
     * @throws IllegalArgumentException whose message is one complete problem naming this key; it quotes
     *         the value only when the key is not secret
     */
    public T parse(String text) {
        Objects.requireNonNull(text, "text");
        String shown = secret ? "(value hidden, secret key)" : "'" + text.strip() + "'";
        T value;
        try {
            value = parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + shown + " " + e.getMessage());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + ": " + shown + " is too large");
        }
        for (Check<T> check : checks) {
            if (!check.test().test(value)) {
                throw new IllegalArgumentException(name + ": " + shown + " " + check.requirement());
            }
        }
        return value;
    }

    /**
     * The secret-key rule: the name contains {@code password}, {@code passwd}, {@code pwd}, {@code secret},
     * {@code token} or {@code credential}, or has {@code key} (also {@code apikey}, {@code privatekey},
     * {@code accesskey}, {@code signingkey}, {@code encryptionkey}) as a word between {@code .}, {@code -}
     * or {@code _}. Matching ignores case.
     *
     * @param name a key or parameter name
     * @return whether values under that name are secret
     */
    public static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.matcher(n).find() || KEY_WORD.matcher(n).find();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigKey<?> other && other.name.equals(name) && other.type.equals(type);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + kind + (defaultValue == null ? "" : ", default " + defaultText())
                + (secret ? ", secret" : "") + ")";
    }

    private String defaultText() {
        return defaultValue instanceof Duration d ? Durations.format(d) : String.valueOf(defaultValue);
    }
}
