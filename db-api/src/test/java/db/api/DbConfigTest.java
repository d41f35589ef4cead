package db.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.spi.ConfigKey;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DbConfigTest {

    private static final String SECRET = "s3cr3t-Pa55";

    @Test
    void defaultsMatchTheDocumentation() {
        DbConfig c = DbConfig.builder().url("jdbc:postgresql://db.example:5433/app").build();
        assertThat(c.minSize()).isEqualTo(2);
        assertThat(c.maxSize()).isEqualTo(10);
        assertThat(c.checkoutTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.leakThreshold()).isZero();
        assertThat(c.poolName()).isEqualTo("switchboard");
        assertThat(c.failFast()).isTrue();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.statementTimeout()).isEmpty();
        assertThat(c.applicationName()).isEqualTo("switchboard");
        assertThat(c.sessionProvider()).isEmpty();
        assertThat(c.target()).isEqualTo(new DatabaseTarget("db.example", 5433, "app", null));
    }

    @Test
    void jdbcUrlKeepsDriverParametersButMovesCredentialsOut() {
        DbConfig c = DbConfig.builder()
                .url("jdbc:postgresql://h1:5432,h2:5433/app?user=alice&password=" + SECRET + "&sslmode=require")
                .build();
        assertThat(c.user()).contains("alice");
        assertThat(c.password()).contains(SECRET);
        assertThat(c.urlParameters()).containsEntry("sslmode", "require");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app");
        assertThat(c.target().toString()).isEqualTo("alice@h1:5432/app");
    }

    @Test
    void libpqUriIsAccepted() {
        DbConfig c = DbConfig.builder()
                .url("postgresql://bob:" + SECRET + "@db.internal:6543/orders?sslmode=require&application_name=svc")
                .build();
        assertThat(c.target()).isEqualTo(new DatabaseTarget("db.internal", 6543, "orders", "bob"));
        assertThat(c.password()).contains(SECRET);
        assertThat(c.urlParameters()).containsEntry("sslmode", "require").containsEntry("ApplicationName", "svc");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/orders");
        assertThat(c.applicationName()).isEqualTo("svc");
    }

    @Test
    void libpqKeyValueDsnIsAccepted() {
        DbConfig c = DbConfig.builder()
                .url("host=10.0.0.5 port=5434 dbname=inventory user=carol password='" + SECRET + " x' sslmode=disable")
                .build();
        assertThat(c.target()).isEqualTo(new DatabaseTarget("10.0.0.5", 5434, "inventory", "carol"));
        assertThat(c.password()).contains(SECRET + " x");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:5434/inventory");
        assertThat(c.urlParameters()).containsEntry("sslmode", "disable");
    }

    @Test
    void explicitUserWinsOverTheUrl() {
        DbConfig c = DbConfig.builder().url("postgresql://bob@h/db").user("admin").build();
        assertThat(c.user()).contains("admin");
    }

    @ParameterizedTest
    @CsvSource({"PT30S,30000", "30s,30000", "500ms,500", "10m,600000", "1h,3600000", "0,0", "pt1m,60000"})
    void durationsAcceptIsoAndShortForms(String text, long millis) {
        DbConfig c = DbConfig.builder().url("jdbc:postgresql://h/db").property("db.pool.leak-threshold", text).build();
        assertThat(c.leakThreshold().toMillis()).isEqualTo(millis);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Properties p = new Properties();
        p.setProperty("db.url", "jdbc:mysql://h/db?password=" + SECRET);
        p.setProperty("db.pool.max-size", "many");
        p.setProperty("db.pool.checkout-timeout", "forever");
        p.setProperty("db.pool.fail-fast", "maybe");
        p.setProperty("db.pool.min-size", "-1");
        assertThatThrownBy(() -> DbConfig.fromProperties(p))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(5);
                    assertThat(e.getMessage())
                            .contains("db.url", "db.pool.max-size", "db.pool.checkout-timeout", "db.pool.fail-fast",
                                    "db.pool.min-size", "'many'", "'forever'")
                            .doesNotContain(SECRET);
                });
    }

    @Test
    void checkoutTimeoutIsNeverInfinite() {
        assertThatThrownBy(() -> DbConfig.builder().url("jdbc:postgresql://h/db").checkoutTimeout(Duration.ZERO).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("db.pool.checkout-timeout");
    }

    @Test
    void minAboveMaxIsAProblem() {
        assertThatThrownBy(() -> DbConfig.builder().url("jdbc:postgresql://h/db").minSize(5).maxSize(3).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not exceed");
    }

    @Test
    void missingUrlSaysHowToProvideIt() {
        assertThatThrownBy(() -> DbConfig.builder().build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("db.url is required").hasMessageContaining("DB_URL");
    }

    @Test
    void toStringNeverShowsThePasswordInAnyForm() {
        for (String url : new String[] {
                "jdbc:postgresql://h/db?password=" + SECRET,
                "postgresql://u:" + SECRET + "@h/db",
                "host=h dbname=db password=" + SECRET}) {
            DbConfig c = DbConfig.builder().url(url).declare(ConfigKey.text("db.acme.api-token"))
                    .property("db.acme.api-token", SECRET).build();
            assertThat(c.toString()).doesNotContain(SECRET).contains("password=****");
        }
        DbConfig explicit = DbConfig.builder().url("jdbc:postgresql://h/db").password(SECRET).build();
        assertThat(explicit.toString()).doesNotContain(SECRET);
    }

    @Test
    void badUrlMessagesMaskThePassword() {
        assertThatThrownBy(() -> DbConfig.builder().url("postgresql://u:" + SECRET + "@h:notaport/db").build())
                .isInstanceOf(ConfigException.class).hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> DbConfig.builder().url("postgresql://u:" + SECRET + "@h").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("names no database").hasMessageNotContaining(SECRET);
    }

    @Test
    void environmentThenSystemPropertiesOverride() {
        Map<String, String> env = Map.of(
                "DB_URL", "postgresql://envuser@envhost/envdb",
                "DB_POOL_MAX_SIZE", "7",
                "DB_POOL_MIN_SIZE", "1",
                "DB_ERRORS_INCLUDE_DETAIL", "true",
                "HOME", "/root");
        Properties sys = new Properties();
        sys.setProperty("db.pool.max-size", "9");
        sys.setProperty("java.version", "17");
        DbConfig c = DbConfig.fromEnvironment(env, sys);
        assertThat(c.target().host()).isEqualTo("envhost");
        assertThat(c.maxSize()).isEqualTo(9);
        assertThat(c.minSize()).isEqualTo(1);
        assertThat(c.booleanProperty("db.errors.include-detail", false)).isTrue();
        assertThat(c.property("db.tracing.query-text")).isEmpty();
    }

    @Test
    void withoutDbUrlLibpqsVariablesDescribeTheConnectionAsLibpqWouldConnect() {
        Map<String, String> env = Map.of("PGHOST", "pghost", "PGPORT", "5433", "PGDATABASE", "pgdb",
                "PGUSER", "pguser", "PGPASSWORD", "it's\\" + SECRET, "PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", "system", "PGAPPNAME", "tool", "PGTARGETSESSIONATTRS", "read-write");
        DbConfig c = DbConfig.fromEnvironment(env, new Properties());
        assertThat(c.target().host()).isEqualTo("pghost");
        assertThat(c.target().port()).isEqualTo(5433);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://pghost:5433/pgdb");
        assertThat(c.password()).contains("it's\\" + SECRET);
        assertThat(c.user()).contains("pguser");
        assertThat(c.urlParameters()).containsEntry("sslmode", "verify-full").containsEntry("targetServerType", "primary");
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @Test
    void anExplicitDbUrlWinsOverLibpqsVariablesAndNeitherIsStillAnError() {
        Map<String, String> env = Map.of("DB_URL", "postgresql://u@envhost/envdb", "PGHOST", "pghost",
                "PGDATABASE", "pgdb");
        assertThat(DbConfig.fromEnvironment(env, new Properties()).target().host()).isEqualTo("envhost");
        assertThat(DbConfig.fromEnvironment(Map.of("PGDATABASE", "pgdb"), new Properties()).target().host())
                .isEqualTo("localhost");
        assertThatThrownBy(() -> DbConfig.fromEnvironment(Map.of("PGUSER", "u"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db.url is required");
    }

    @Test
    void theLibpqRulesApplyToVariablesToo() {
        assertThatThrownBy(() -> DbConfig.fromEnvironment(Map.of("PGDATABASE", "db", "PGSSLNEGOTIATION", "direct",
                "PGSSLMODE", "prefer"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslnegotiation=direct needs sslmode=require");
    }

    @Test
    void envNameFollowsTheConvention() {
        assertThat(DbConfig.envName("db.pool.checkout-timeout")).isEqualTo("DB_POOL_CHECKOUT_TIMEOUT");
    }

    @Test
    void extensionsAreHandedOverByType() {
        CharSequence handle = java.nio.CharBuffer.wrap("sdk");
        DbConfig c = DbConfig.builder().url("jdbc:postgresql://h/db").extension(CharSequence.class, handle).build();
        assertThat(c.extension(CharSequence.class)).containsSame(handle);
        assertThat(c.extension(String.class)).isEmpty();
        assertThat(c.toBuilder().build().extension(CharSequence.class)).containsSame(handle);
    }

    @Test
    void typedPropertiesReportBadValues() {
        DbConfig c = DbConfig.builder().url("jdbc:postgresql://h/db").property("x.flag", "yes").build();
        assertThatThrownBy(() -> c.booleanProperty("x.flag", false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("x.flag");
    }
}
