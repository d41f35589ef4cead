package db.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.spi.ConfigKey;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The key registry: every key declared once and checked at build; unknown {@code db.*} keys are errors. */
class ConfigKeyRegistryTest {
    private static final String SECRET = "S3NT1NEL";
    private static final String URL = "jdbc:postgresql://h/db";

    private static ConfigException failure(DbConfig.Builder b) {
        try {
            b.build();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("build() accepted the configuration");
    }

    private static void singleProblem(DbConfig.Builder b, Consumer<String> check) {
        ConfigException e = failure(b);
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).doesNotContain(SECRET);
        check.accept(e.problems().get(0));
    }

    @Test
    void typoUnderTheLibraryPrefixIsAnErrorWithASuggestion() {
        singleProblem(DbConfig.builder().url(URL).property("db.pool.maxsize", "1"),
                p -> assertThat(p).isEqualTo("db.pool.maxsize is not a known key (did you mean db.pool.max-size?)"));
        singleProblem(DbConfig.builder().url(URL).property("db.pool.chekout-timeout", "1s"),
                p -> assertThat(p).contains("did you mean db.pool.checkout-timeout?"));
        singleProblem(DbConfig.builder().url(URL).property("db.frobnicate", SECRET),
                p -> assertThat(p).startsWith("db.frobnicate is not a known key: ").doesNotContain("did you mean"));
    }

    @Test
    void keysOutsideTheLibraryPrefixAreNotOurs() {
        DbConfig c = DbConfig.builder().url(URL).property("acme.setting", "x").build();
        assertThat(c.property("acme.setting")).contains("x");
    }

    @Test
    void everyDocumentedKeyIsDeclared() {
        assertThat(DbKeys.all()).extracting(ConfigKey::name).contains("db.url", "db.pool.close-timeout",
                "db.errors.include-detail", "db.health-timeout", "db.session-provider", "db.pool.reset",
                "db.network-timeout", "db.pool.max-waiting", "db.pool.init-sql", "db.pooler");
        assertThat(DbKeys.all()).extracting(ConfigKey::name).doesNotHaveDuplicates();
    }

    @Test
    void declaredKeysAreCheckedAtBuildAndReadTyped() {
        ConfigKey<Duration> warmup = ConfigKey.duration("db.acme.warmup", Duration.ofSeconds(5));
        ConfigKey<Integer> shards = ConfigKey.integer("db.acme.shards", 4, 1, 64);
        DbConfig c = DbConfig.builder().url(URL).declare(warmup, shards).property("db.acme.shards", "8").build();
        assertThat(c.get(warmup)).contains(Duration.ofSeconds(5));
        assertThat(c.get(shards)).contains(8);
        singleProblem(DbConfig.builder().url(URL).declare(shards).property("db.acme.shards", "65"),
                p -> assertThat(p).isEqualTo("db.acme.shards: '65' must be at most 64"));
    }

    @Test
    void declaredKeysAreReadFromTheEnvironment() {
        ConfigKey<Boolean> flag = ConfigKey.flag("db.acme.enabled", false);
        DbConfig.Builder b = DbConfig.builderFromEnvironment(
                Map.of("DB_URL", URL, "DB_ACME_ENABLED", "true", "DB_TEST_URL", "anything", "DB_POOL_CLOSE_TIMEOUT", "3s"),
                new Properties()).declare(flag);
        DbConfig c = b.build();
        assertThat(c.get(flag)).contains(true);
        assertThat(c.get(DbKeys.POOL_CLOSE_TIMEOUT)).contains(Duration.ofSeconds(3));
        ConfigException e = failure(DbConfig.builderFromEnvironment(Map.of("DB_URL", URL, "DB_HEALTH_TIMEOUT", "abc"),
                new Properties()));
        assertThat(e.problems()).singleElement().asString().startsWith("db.health-timeout: 'abc' is not a duration");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "db.pool.close-timeout|abc|db.pool.close-timeout: 'abc' is not a duration",
            "db.pool.close-timeout|-5s|db.pool.close-timeout: '-5s' must not be negative",
            "db.errors.include-detail|yes|db.errors.include-detail: 'yes' is not true or false",
            "db.health-timeout|abc|db.health-timeout: 'abc' is not a duration",
            "db.health-timeout|0|db.health-timeout: '0' must be greater than zero",
            "db.session-provider|c3p0 pool|db.session-provider: 'c3p0 pool' is not a provider name",
            "db.pool.reset|sometimes|db.pool.reset: 'sometimes' is not one of auto, always, never",
            "db.pool.idle-timeout|-PT5S|db.pool.idle-timeout: '-PT5S' must not be negative",
            "db.pool.checkout-timeout|9999999999999999h|db.pool.checkout-timeout: '9999999999999999h' is too large",
            "db.pool.max-lifetime|999999999999d|db.pool.max-lifetime: '999999999999d' is too large",
            "db.pool.leak-threshold|99999999999999999999999s|db.pool.leak-threshold: '99999999999999999999999s' is too large",
            "db.connect-timeout|PT9999999999999999H|db.connect-timeout: 'PT9999999999999999H' is too large",
            "db.statement-timeout|30d|db.statement-timeout: '30d' exceeds the server's limit for statement_timeout",
            "db.statement-timeout|PT0.0001S|db.statement-timeout: 'PT0.0001S' is below the server's resolution of 1 ms",
            "db.pool.max-size|0|db.pool.max-size: '0' must be at least 1",
    })
    void eachBadValueIsOneProblemAtBuild(String key, String value, String expected) {
        singleProblem(DbConfig.builder().url(URL).property(key, value), p -> assertThat(p).startsWith(expected));
    }

    @Test
    void statementTimeoutAtTheServersLimitIsAccepted() {
        DbConfig c = DbConfig.builder().url(URL).property("db.statement-timeout", "2147483647ms").build();
        assertThat(c.statementTimeout()).contains(Duration.ofMillis(Integer.MAX_VALUE));
        assertThat(c.toString()).contains("statementTimeout=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.password", "db.acme.api-key", "db.acme.pwd", "db.acme.credentials", "db.acme.token",
            "db.acme.client-secret", "db.acme.private_key", "db.acme.key", "db.acme.apikey", "db.acme.passwd",
            "db.acme.credential"})
    void secretKeysAreNeverShown(String key) {
        assertThat(ConfigKey.isSecretName(key)).isTrue();
        ConfigKey<Integer> typed = ConfigKey.integer(key, null, 0, 10);
        if (!key.equals("db.password")) {
            DbConfig c = DbConfig.builder().url(URL).declare(ConfigKey.text(key)).property(key, SECRET).build();
            assertThat(c.toString()).doesNotContain(SECRET).contains(key + "=****");
            assertThat(c.property(key)).contains(SECRET);
            singleProblem(DbConfig.builder().url(URL).declare(typed).property(key, SECRET),
                    p -> assertThat(p).isEqualTo(key + ": (value hidden, secret key) is not a whole number"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.pool.max-size", "db.acme.keyboard", "db.acme.monkey", "db.acme.keepalives", "db.acme.sslkey"})
    void otherKeysAreNotSecret(String key) {
        assertThat(ConfigKey.isSecretName(key)).isFalse();
    }

    @Test
    void everyProblemOfSeveralKeysIsListedOnce() {
        ConfigException e = failure(DbConfig.builder().url(URL).property("db.pool.maxsize", "1")
                .property("db.pool.close-timeout", "-1s").property("db.health-timeout", "abc")
                .property("db.errors.include-detail", "yes"));
        assertThat(e.problems()).hasSize(4);
    }

    @Test
    void typedValuesRoundTripThroughTheBuilder() {
        DbConfig c = DbConfig.builder().url(URL).set(DbKeys.NETWORK_TIMEOUT, Duration.ofSeconds(7))
                .set(DbKeys.POOL_MAX_WAITING, 50).build();
        assertThat(c.get(DbKeys.NETWORK_TIMEOUT)).contains(Duration.ofSeconds(7));
        assertThat(c.get(DbKeys.POOL_MAX_WAITING)).contains(50);
        assertThat(c.get(DbKeys.POOL_RESET)).contains("auto");
        assertThat(c.get(DbKeys.POOL_INIT_SQL)).isEmpty();
    }
}
