package db.pool.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import db.core.standalone.StandaloneContext;
import db.api.DbConfig;
import db.api.spi.ConnectionPool;
import db.core.support.TrackedConnections;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How each DbConfig key reaches HikariCP, and what only this provider does. The behaviour both
 * providers share (exhaustion, healing, fail-fast, draining, statistics) is checked for both by
 * module-tests' pool suite.
 */
class HikariSettingsTest {
    private static final String PASSWORD_SENTINEL = "pw-SENTINEL-hk-5d21";
    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestDatabase.get().createSchema("hikari");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private static DbConfig.Builder config(String app) {
        return HikariTestSupport.config(schema, app);
    }

    private static HikariConfig mapped(DbConfig config) {
        return HikariSessionProvider.hikariConfig(config, config.poolName(),
                new TrackedConnections(StandaloneContext.of(config).connections(), "test"));
    }

    @Test
    void everyPoolKeyIsMappedWithTheSameMeaningAsForC3p0() {
        HikariConfig h = mapped(config("map").minSize(3).maxSize(7).checkoutTimeout(Duration.ofSeconds(4))
                .idleTimeout(Duration.ofMinutes(2)).maxLifetime(Duration.ofMinutes(20))
                .connectTimeout(Duration.ofSeconds(3)).build());
        assertThat(h.getMinimumIdle()).isEqualTo(3);
        assertThat(h.getMaximumPoolSize()).isEqualTo(7);
        assertThat(h.getConnectionTimeout()).isEqualTo(4_000);
        assertThat(h.getIdleTimeout()).isEqualTo(120_000);
        assertThat(h.getMaxLifetime()).isEqualTo(1_200_000);
        assertThat(h.getValidationTimeout()).isEqualTo(3_000);
        assertThat(h.getLeakDetectionThreshold()).as("leak reports are the core's").isZero();
        assertThat(h.isAutoCommit()).isTrue();
        assertThat(h.getInitializationFailTimeout()).as("the fail-fast check is the provider's").isNegative();
        assertThat(h.isRegisterMbeans()).isFalse();
        assertThat(h.getPoolName()).isEqualTo("map");
    }

    @Test
    void durationsBelowHikariCpsFloorsAreRaisedNotReplacedByItsDefaults() {
        HikariConfig h = mapped(config("floors").minSize(1).maxSize(3).idleTimeout(Duration.ofSeconds(1))
                .maxLifetime(Duration.ofSeconds(2)).checkoutTimeout(Duration.ofMillis(100)).build());
        assertThat(h.getIdleTimeout()).isEqualTo(HikariSessionProvider.IDLE_TIMEOUT_FLOOR.toMillis());
        assertThat(h.getMaxLifetime()).isEqualTo(HikariSessionProvider.MAX_LIFETIME_FLOOR.toMillis());
        assertThat(h.getConnectionTimeout()).isEqualTo(250);
        HikariConfig off = mapped(config("off").idleTimeout(Duration.ZERO).maxLifetime(Duration.ZERO).build());
        assertThat(off.getIdleTimeout()).isZero();
        assertThat(off.getMaxLifetime()).isZero();
    }

    @Test
    void everyPhysicalConnectionIsReportedAndCountedAndHikariCpLogsThroughLog4j2() throws Exception {
        String app = "sbtest-hikari-log";
        List<Duration> connectTimes = new CopyOnWriteArrayList<>();
        try (ConnectionPool pool = new HikariSessionProvider().start(StandaloneContext.of(config(app).password(PASSWORD_SENTINEL)
                .minSize(2).maxSize(2).build(), connectTimes::add))) {
            assertThat(pool.name()).isEqualTo(app);
            try (Connection c = pool.borrow(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('application_name')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(app);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (pool.counters().total() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(pool.counters().total()).isEqualTo(2);
        }
        assertThat(connectTimes).hasSize(2).allMatch(d -> !d.isNegative());
        Path log = Path.of("target", "hikari-test.log");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        // HikariCP's own DEBUG lines (SLF4J) arrived through Log4j2, and nothing showed the password.
        assertThat(text).contains("com.zaxxer.hikari").contains(app);
        assertThat(text).doesNotContain(PASSWORD_SENTINEL);
    }
}
