package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.DbConfig;
import db.bootapp.SwitchboardDatabaseConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** How the application reads Switchboard's configuration from Boot's {@code Environment} (no database needed). */
final class BootConfigurationTest {

    @Test
    void bootsPrecedenceAndPlaceholdersApply() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new MapPropertySource("application.properties", Map.of(
                "spring.application.name", "orders",
                "db.url", "jdbc:postgresql://db.example:6543/orders",
                "db.user", "app",
                "db.pool.max-size", "7",
                "db.pool.min-size", "1",
                "db.application-name", "${spring.application.name}-api")));
        // An environment variable in Boot's relaxed form wins over application.properties, as in any Boot application.
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-environment",
                Map.of("DB_POOL_MAX_SIZE", "9")));

        DbConfig config = SwitchboardDatabaseConfiguration.dbConfig(environment, null);

        assertThat(config.target().host()).isEqualTo("db.example");
        assertThat(config.target().port()).isEqualTo(6543);
        assertThat(config.target().database()).isEqualTo("orders");
        assertThat(config.target().user()).isEqualTo("app");
        assertThat(config.maxSize()).isEqualTo(9);
        assertThat(config.minSize()).isEqualTo(1);
        assertThat(config.applicationName()).isEqualTo("orders-api");
    }

    @Test
    void aMistypedKeyFailsWithSwitchboardsMessage() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new MapPropertySource("application.properties", Map.of(
                "db.url", "jdbc:postgresql://db.example/orders", "db.pool.max-sise", "7")));

        assertThatThrownBy(() -> SwitchboardDatabaseConfiguration.dbConfig(environment, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db.pool.max-sise");
    }
}
