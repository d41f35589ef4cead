package db.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.DbConfig;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DriverPropertiesTest {
    private static final String SECRET = "S3NT1NEL";

    @Test
    void driverPropertiesCarryTheSecretsAndTheUrlNone() {
        DbConfig c = DbConfig.builder()
                .url("postgresql://u:" + SECRET + "@h:5433/db?sslpassword=" + SECRET + "&sslmode=require&options=-c%20search_path%3Dx")
                .statementTimeout(Duration.ofSeconds(2)).build();
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/db");
        Properties p = DriverProperties.properties(c);
        assertThat(p).containsEntry("password", SECRET).containsEntry("sslpassword", SECRET)
                .containsEntry("user", "u").containsEntry("sslmode", "require").containsEntry("tcpKeepAlive", "true")
                .containsEntry("options", "-c search_path=x -c statement_timeout=2000")
                .containsEntry("ApplicationName", "switchboard").containsEntry("connectTimeout", "10");
        assertThat(c.toString()).doesNotContain(SECRET).contains("sslpassword=****");
    }

    @Test
    void connectTimeoutFromTheUrlAlsoBoundsLogin() {
        DbConfig c = DbConfig.builder().url("host=h dbname=db connect_timeout=7").build();
        assertThat(DriverProperties.of(c)).containsEntry("connectTimeout", "7").containsEntry("loginTimeout", "7");
    }

    @Test
    void theUserThePasswordAndTheApplicationNameTravelAsProperties() {
        DbConfig c = DbConfig.builder().url("host=h dbname=db user=alice fallback_application_name=fb")
                .password(SECRET).build();
        assertThat(DriverProperties.of(c)).containsEntry("user", "alice").containsEntry("password", SECRET)
                .containsEntry("ApplicationName", "fb");
    }
}
