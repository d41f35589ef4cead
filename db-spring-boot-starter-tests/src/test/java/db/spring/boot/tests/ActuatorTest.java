package db.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.testkit.TestSchema;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The actuator's health from Database.health(), and the pool's meters; both can be switched off. */
@SpringBootTest(classes = TestApp.class, properties = "management.endpoint.health.show-details=always")
class ActuatorTest {
    private static final TestSchema SCHEMA = Fixture.schema("sbact");
    private static final String POOL = Fixture.uniqueName("sbact");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("db.url", () -> Fixture.urlWithUser(SCHEMA));
        registry.add("db.password", () -> "s3cr3t-pw"); // trust ignores it; it must not show anywhere
        registry.add("db.pool.name", () -> POOL);
        registry.add("db.pool.max-size", () -> "5");
        registry.add("db.pool.min-size", () -> "1");
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Autowired
    HealthEndpoint health;
    @Autowired
    MeterRegistry registry;
    @Autowired
    Database database;

    @Test
    void healthHasEveryPoolWithRoleServerAndStateAndNoSecret() {
        CompositeHealthDescriptor all = (CompositeHealthDescriptor) health.health();
        assertThat(all.getComponents()).containsKey("switchboard")
                // Switchboard's check stands in for Boot's generic DataSource check
                .doesNotContainKey("db");
        IndicatedHealthDescriptor switchboard = (IndicatedHealthDescriptor) health.healthForPath("switchboard");
        assertThat(switchboard.getStatus()).isEqualTo(Status.UP);
        Map<String, Object> details = switchboard.getDetails();
        assertThat(details).containsKeys("latencyMs", "pools");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pools = (List<Map<String, Object>>) details.get("pools");
        assertThat(pools).hasSize(1);
        assertThat(pools.get(0)).containsEntry("name", POOL).containsEntry("role", "primary")
                .containsEntry("state", "in-rotation").containsEntry("max", 5).containsKey("server");
        assertThat(String.valueOf(pools.get(0).get("server"))).contains(":");
        assertThat(details.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theHealthJsonCarriesTheDetails() {
        String json = JsonMapper.builder().build().writeValueAsString(health.healthForPath("switchboard"));
        assertThat(json).contains("\"status\":\"UP\"").contains("\"pools\":[{").contains("\"name\":\"" + POOL + "\"")
                .contains("\"role\":\"primary\"").contains("\"state\":\"in-rotation\"").doesNotContain("s3cr3t");
    }

    @Test
    void anUnreachableDatabaseIsDownWithTheReasonAndNoSecret() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                .web(WebApplicationType.NONE)
                .properties("db.url=postgresql://postgres:s3cr3t-url@127.0.0.1:1/test", "db.password=s3cr3t-pw",
                        "db.pool.fail-fast=false", "db.pool.min-size=0", "db.pool.checkout-timeout=500ms",
                        "db.health-timeout=5s")
                .run()) {
            org.springframework.boot.health.contributor.Health down =
                    context.getBean(db.spring.boot.SwitchboardHealthIndicator.class).health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsKeys("error", "pools");
            assertThat(String.valueOf(down.getDetails().get("error"))).startsWith("ConnectionException");
            assertThat(down.toString()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void thePoolsMetersAreBound() {
        database.inTransaction(s -> s.execute("select 1"));
        assertThat(registry.get("db.client.connection.max").tag("db.client.connection.pool.name", POOL).gauge().value())
                .isEqualTo(5.0);
        assertThat(registry.get("db.client.connection.idle.min").tag("db.client.connection.pool.name", POOL).gauge()
                .value()).isEqualTo(1.0);
        assertThat(registry.get("db.client.connection.count").tag("db.client.connection.pool.name", POOL)
                .tag("db.client.connection.state", "idle").gauge().value()).isGreaterThanOrEqualTo(1.0);
        double used = database.inTransaction(s -> registry.get("db.client.connection.count")
                .tag("db.client.connection.pool.name", POOL).tag("db.client.connection.state", "used").gauge().value());
        assertThat(used).isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get("db.client.connection.pending_requests").tag("db.client.connection.pool.name", POOL)
                .gauge().value()).isZero();
        assertThat(registry.get("db.client.connection.timeouts").functionCounter().count()).isZero();
    }

    @Test
    void bothSwitchOffWithBootsProperties() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                .web(WebApplicationType.NONE)
                .properties("db.url=" + Fixture.urlWithUser(SCHEMA), "management.health.switchboard.enabled=false",
                        "management.metrics.enable.db.client.connection=false")
                .run()) {
            assertThat(context.getBeansOfType(db.spring.boot.SwitchboardHealthIndicator.class)).isEmpty();
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.find("db.client.connection.max").gauge()).isNull();
            assertThat(meters.find("db.client.connection.count").gauge()).isNull();
        }
    }
}
