package db.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.DbConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScaleOutSettingsTest {

    @Test
    void withoutScaleOutKeysThePrimaryConfigIsTheApplicationsOwn() {
        DbConfig config = DbConfig.builder().url("jdbc:postgresql://db:5432/app").build();
        ScaleOutSettings s = ScaleOutSettings.of(config);
        assertThat(s.primary()).isSameAs(config);
        assertThat(s.replicas()).isEmpty();
        assertThat(s.transactionPooler()).isFalse();
        assertThat(s.fallback()).isEqualTo(ScaleOutSettings.Fallback.PRIMARY);
    }

    @Test
    void severalHostsConnectOnlyToThePrimaryAndKeepTheUrlsCredentials() {
        for (String url : new String[] {"jdbc:postgresql://h1:5432,h2:5433/app?user=app&password=s3cret",
            "postgresql://app:s3cret@h1:5432,h2:5433/app", "host=h1,h2 port=5432,5433 dbname=app user=app password=s3cret"}) {
            DbConfig primary = ScaleOutSettings.of(DbConfig.builder().url(url).build()).primary();
            assertThat(primary.jdbcUrl()).as(url).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app");
            assertThat(DriverProperties.of(primary)).as(url).containsEntry("targetServerType", "primary");
            assertThat(primary.user()).as(url).contains("app");
            assertThat(primary.password()).as(url).contains("s3cret");
            assertThat(primary.toString()).doesNotContain("s3cret");
        }
        DbConfig own = ScaleOutSettings.of(DbConfig.builder()
                .url("jdbc:postgresql://h1,h2/app?targetServerType=preferPrimary").build()).primary();
        assertThat(DriverProperties.of(own)).containsEntry("targetServerType", "preferPrimary");
        DbConfig libpq = ScaleOutSettings.of(DbConfig.builder()
                .url("host=h1,h2 dbname=app target_session_attrs=prefer-standby").build()).primary();
        assertThat(DriverProperties.of(libpq)).containsEntry("targetServerType", "preferSecondary");
    }

    @Test
    void oneStandbyPoolPerReplicaHostWithItsOwnSizes() {
        DbConfig config = DbConfig.builder().url("jdbc:postgresql://p:5432/app").user("app").password("pw")
                .poolName("shop").maxSize(10)
                .property("db.replica.url", "jdbc:postgresql://r1:5432,r2:6432/app?sslmode=disable")
                .property("db.replica.pool.max-size", "20")
                .property("db.replica.max-lag", "5s")
                .property("db.replica.fallback", "fail")
                .build();
        ScaleOutSettings s = ScaleOutSettings.of(config);
        assertThat(s.replicaServers()).containsExactly("r1:5432", "r2:6432");
        assertThat(s.replicas()).extracting(DbConfig::jdbcUrl).containsExactly(
                "jdbc:postgresql://r1:5432/app", "jdbc:postgresql://r2:6432/app");
        assertThat(s.replicas()).allSatisfy(r -> assertThat(DriverProperties.of(r)).containsEntry("sslmode", "disable"));
        DbConfig first = s.replicas().get(0);
        assertThat(first.poolName()).isEqualTo("shop-replica-1");
        assertThat(first.maxSize()).isEqualTo(20);
        assertThat(first.failFast()).isFalse();
        assertThat(first.user()).contains("app");
        assertThat(first.password()).contains("pw");
        assertThat(s.maxLag()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.fallback()).isEqualTo(ScaleOutSettings.Fallback.FAIL);
    }

    @Test
    void behindATransactionPoolerTheDriverPreparesNothingOnTheServer() {
        ScaleOutSettings s = ScaleOutSettings.of(DbConfig.builder().url("jdbc:postgresql://bouncer:6432/app")
                .property("db.pooler", "pgbouncer-transaction")
                .property("db.replica.url", "jdbc:postgresql://bouncer-ro:6432/app").build());
        assertThat(s.transactionPooler()).isTrue();
        assertThat(DriverProperties.of(s.primary())).containsEntry("prepareThreshold", "0");
        assertThat(DriverProperties.of(s.replicas().get(0))).containsEntry("prepareThreshold", "0");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> DbConfig.builder().url("jdbc:postgresql://h/app")
                .property("db.pooler", "odyssey")
                .property("db.replica.fallback", "maybe")
                .property("db.replica.max-lag", "soon")
                .property("db.replica.probe-interval", "0s")
                .build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4)
                        .anySatisfy(p -> assertThat(p).contains("db.pooler"))
                        .anySatisfy(p -> assertThat(p).contains("db.replica.fallback"))
                        .anySatisfy(p -> assertThat(p).contains("db.replica.max-lag"))
                        .anySatisfy(p -> assertThat(p).contains("db.replica.probe-interval")));
        assertThatThrownBy(() -> ScaleOutSettings.of(DbConfig.builder().url("jdbc:postgresql://h/app?prepareThreshold=5")
                .property("db.pooler", "pgbouncer-transaction").property("db.replica.max-lag", "1s")
                .property("db.pool.reset", "always").statementTimeout(java.time.Duration.ofSeconds(5))
                .property("db.pool.init-sql", "SET TIME ZONE 'UTC'").build()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(5)
                        .anySatisfy(p -> assertThat(p).startsWith("db.pool.init-sql: Refused"))
                        .anySatisfy(p -> assertThat(p).contains("prepareThreshold=5"))
                        .anySatisfy(p -> assertThat(p).startsWith("db.pool.reset"))
                        .anySatisfy(p -> assertThat(p).startsWith("db.statement-timeout"))
                        .anySatisfy(p -> assertThat(p).contains("db.replica.url is not")));
    }
}
