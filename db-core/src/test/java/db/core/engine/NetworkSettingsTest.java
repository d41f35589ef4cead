package db.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.DbConfig;
import db.core.support.KeepAliveSocketFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the network timeout is derived and what the driver gets. */
class NetworkSettingsTest {

    private static DbConfig.Builder base() {
        return DbConfig.builder().url("jdbc:postgresql://127.0.0.1:5432/test");
    }

    @Test
    void derivedFromTheStatementTimeoutPlusAMargin() {
        DbConfig config = base().statementTimeout(Duration.ofSeconds(30)).build();
        assertThat(NetworkSettings.networkTimeout(config)).isEqualTo(Duration.ofSeconds(35));
        assertThat(NetworkSettings.driverProperties(config)).containsEntry("socketTimeout", "35");
    }

    @Test
    void finiteWithoutAStatementTimeout() {
        DbConfig config = base().build();
        assertThat(NetworkSettings.networkTimeout(config)).isEqualTo(Duration.ofMinutes(15));
        assertThat(NetworkSettings.driverProperties(config)).containsEntry("socketTimeout", "900");
    }

    @Test
    void anExplicitValueWinsAndIsRoundedUpToWholeSeconds() {
        DbConfig config = base().statementTimeout(Duration.ofSeconds(30)).property("db.network-timeout", "1500ms").build();
        assertThat(NetworkSettings.networkTimeout(config)).isEqualTo(Duration.ofMillis(1500));
        assertThat(NetworkSettings.driverProperties(config)).containsEntry("socketTimeout", "2");
    }

    @Test
    void keepAliveInSecondsThroughTheSocketFactory() {
        Map<String, String> p = NetworkSettings.driverProperties(base().property("db.tcp-keepalive-idle", "2m")
                .property("db.tcp-keepalive-interval", "10s").build());
        assertThat(p).containsEntry("tcpKeepAlive", "true")
                .containsEntry("socketFactory", KeepAliveSocketFactory.class.getName())
                .containsEntry(KeepAliveSocketFactory.IDLE_PROPERTY, "120")
                .containsEntry(KeepAliveSocketFactory.INTERVAL_PROPERTY, "10")
                .containsEntry(KeepAliveSocketFactory.COUNT_PROPERTY, "4");
        Map<String, String> defaults = NetworkSettings.driverProperties(base().build());
        assertThat(defaults).containsEntry(KeepAliveSocketFactory.IDLE_PROPERTY, "60")
                .containsEntry(KeepAliveSocketFactory.INTERVAL_PROPERTY, "15");
    }
}
