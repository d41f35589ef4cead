package db.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Closing the application closes the pool: the server has no backend of it left. */
class ShutdownTest {
    private static final TestSchema SCHEMA = Fixture.schema("sbdown");

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Test
    void closingTheContextLeavesNoBackend() throws Exception {
        String name = Fixture.uniqueName("sbdown");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                .web(WebApplicationType.NONE)
                .properties("db.url=" + Fixture.urlWithUser(SCHEMA), "db.application-name=" + name,
                        "db.pool.min-size=2", "spring.lifecycle.timeout-per-shutdown-phase=5s")
                .run();
        try {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class)).isEqualTo(name);
            assertThat(TestDatabase.get().backends(name)).isGreaterThanOrEqualTo(1);
        } finally {
            context.close();
        }
        assertThat(TestDatabase.get().awaitNoBackends(name, Duration.ofSeconds(10))).isZero();
    }
}
