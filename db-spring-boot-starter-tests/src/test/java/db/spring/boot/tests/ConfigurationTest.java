package db.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.Database;
import db.spring.boot.ConfigExceptionFailureAnalyzer;
import db.spring.boot.SwitchboardDataSource;
import db.spring.boot.SwitchboardTransactionManager;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The Database comes from Boot's Environment: db.* with relaxed binding, spring.datasource.* as fallbacks. */
class ConfigurationTest {
    private static final TestSchema SCHEMA = Fixture.schema("sbcfg");

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE).properties(properties).run();
    }

    private static void servesJdbcAndTransactions(ConfigurableApplicationContext context) {
        assertThat(context.getBean(DataSource.class)).isInstanceOf(SwitchboardDataSource.class);
        assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(SwitchboardTransactionManager.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("select count(*) from items", Long.class)).isNotNull();
        Items items = context.getBean(Items.class);
        assertThatThrownBy(() -> items.switchboardWriteThenFail(11)).isInstanceOf(Items.Boom.class);
        assertThat(jdbc.queryForObject("select count(*) from items where id = 11", Long.class)).isZero();
    }

    /** Every FailureAnalyzer the class path's {@code META-INF/spring.factories} files register with Boot. */
    private static List<String> registeredFailureAnalyzers() throws IOException {
        List<String> names = new ArrayList<>();
        Enumeration<URL> files = ConfigurationTest.class.getClassLoader().getResources("META-INF/spring.factories");
        while (files.hasMoreElements()) {
            Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(files.nextElement()));
            String value = factories.getProperty(FailureAnalyzer.class.getName());
            if (value != null) {
                for (String name : value.split(",", -1)) {
                    if (!name.isBlank()) {
                        names.add(name.trim());
                    }
                }
            }
        }
        return names;
    }

    @Test
    void onlyDbUrlIsEnough() {
        try (ConfigurableApplicationContext context = start("db.url=" + Fixture.urlWithUser(SCHEMA))) {
            servesJdbcAndTransactions(context);
        }
    }

    @Test
    void onlySpringDatasourceUrlIsEnough() {
        try (ConfigurableApplicationContext context = start("spring.datasource.url=" + Fixture.urlWithUser(SCHEMA))) {
            servesJdbcAndTransactions(context);
        }
        String user = TestDatabase.get().user();
        if (user != null) {
            // and spring.datasource.username stands in for db.user
            try (ConfigurableApplicationContext context = start("spring.datasource.url=" + SCHEMA.jdbcUrl(),
                    "spring.datasource.username=" + user)) {
                assertThat(context.getBean(Database.class).config().user()).contains(user);
                servesJdbcAndTransactions(context);
            }
        }
    }

    @Test
    void dbKeysWinOverSpringDatasourceAndBindRelaxed() {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> variables = new HashMap<>(System.getenv());
        variables.put("DB_POOL_MIN_SIZE", "1"); // the environment-variable form, as Boot relaxes it
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        String name = Fixture.uniqueName("sbcfg");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                .web(WebApplicationType.NONE).environment(environment)
                .properties("db.url=" + Fixture.urlWithUser(SCHEMA), "spring.datasource.url=jdbc:postgresql://nowhere.invalid/x",
                        "db.pool.maxSize=3", "db.pool.checkout-timeout=7s", "spring.application.name=" + name)
                .run()) {
            Database database = context.getBean(Database.class);
            assertThat(database.config().maxSize()).isEqualTo(3);
            assertThat(database.config().minSize()).isEqualTo(1);
            assertThat(database.config().checkoutTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(database.config().applicationName()).isEqualTo(name);
            servesJdbcAndTransactions(context);
        }
    }

    @Test
    void anApplicationsOwnDatabaseWins() {
        try (Database own = Database.open(db.api.DbConfig.builder().url(Fixture.urlWithUser(SCHEMA)).build());
             ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                     .web(WebApplicationType.NONE)
                     .initializers(c -> c.getBeanFactory().registerSingleton("ownDatabase", own)).run()) {
            assertThat(context.getBean(Database.class)).isSameAs(own);
            servesJdbcAndTransactions(context);
        }
    }

    @Test
    void anInvalidConfigurationFailsWithEveryProblemAndNoSecret() throws IOException {
        SpringApplication application = new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
                .properties("db.url=" + Fixture.urlWithUser(SCHEMA), "db.password=s3cr3t-pw",
                        "db.pool.max-size=lots", "db.pool.max-sise=3").build();
        Throwable failure = null;
        try (ConfigurableApplicationContext context = application.run()) {
            assertThat(context).as("the context must not start").isNull();
        } catch (RuntimeException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        Throwable cause = failure;
        while (cause != null && !(cause instanceof ConfigException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a ConfigException in %s", failure).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) cause).problems()).hasSize(2);

        assertThat(registeredFailureAnalyzers()).contains(ConfigExceptionFailureAnalyzer.class.getName());
        FailureAnalysis analysis = new ConfigExceptionFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("db.pool.max-size").contains("db.pool.max-sise")
                .doesNotContain("s3cr3t");
        assertThat(analysis.getAction()).contains("db.*");
    }
}
