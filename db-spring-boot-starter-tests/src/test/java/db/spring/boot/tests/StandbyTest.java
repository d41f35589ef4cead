package db.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.PoolStatus;
import db.spring.boot.SwitchboardHealthIndicator;
import db.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code @Transactional(readOnly = true)} runs on a standby under read routing ({@code db.replica.url}), with
 * Switchboard's nested read-only work on the same connection; read-write work stays on the primary. Against a
 * throwaway primary and its streaming standby.
 */
class StandbyTest {
    private static PgCluster primary;
    private static PgCluster standby;
    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        primary = PgCluster.start();
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("create table items(id int primary key, name text not null)");
        }
        standby = primary.startStandby();
        context = new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
                .properties("db.url=" + primary.jdbcUrl(), "db.user=" + primary.user(),
                        "db.replica.url=" + standby.jdbcUrl(), "db.replica.pool.min-size=1",
                        "db.replica.probe-interval=100ms", "db.pool.min-size=1")
                .run();
        Database database = context.getBean(Database.class);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!database.pools().stream().filter(p -> p.role() == PoolStatus.Role.REPLICA)
                .allMatch(PoolStatus::inRotation)) {
            assertThat(System.nanoTime()).as("the standby comes into rotation").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            try {
                if (standby != null) {
                    standby.close();
                }
            } finally {
                if (primary != null) {
                    primary.close();
                }
            }
        }
    }

    @Test
    void readOnlyTransactionalRunsOnTheStandbyAndReadWriteOnThePrimary() throws SQLException {
        assertThat(isStandby(standby)).isTrue();
        Items items = context.getBean(Items.class);
        assertThat(items.inRecoveryReadOnly()).containsExactly(true, true);
        assertThat(items.inRecoveryReadWrite()).isFalse();
    }

    @Test
    void healthNamesBothPoolsWithTheirRoles() {
        Health health = context.getBean(SwitchboardHealthIndicator.class).health();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pools = (List<Map<String, Object>>) health.getDetails().get("pools");
        assertThat(pools).extracting(p -> p.get("role")).containsExactly("primary", "replica");
        assertThat(pools.get(1)).containsEntry("state", "in-rotation")
                .containsEntry("server", "127.0.0.1:" + standby.port()).containsKey("replicaLagMs");
    }

    private static boolean isStandby(PgCluster cluster) throws SQLException {
        try (Connection c = cluster.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
