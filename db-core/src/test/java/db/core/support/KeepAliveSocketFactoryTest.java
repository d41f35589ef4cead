package db.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.util.Properties;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** The sockets handed to pgjdbc carry keepalive with the configured timers (Linux supports all three). */
class KeepAliveSocketFactoryTest {

    @Test
    void socketsHaveKeepAliveWithTheConfiguredTimers() throws IOException {
        Properties info = new Properties();
        info.setProperty(KeepAliveSocketFactory.IDLE_PROPERTY, "42");
        info.setProperty(KeepAliveSocketFactory.INTERVAL_PROPERTY, "7");
        info.setProperty(KeepAliveSocketFactory.COUNT_PROPERTY, "3");
        try (Socket s = new KeepAliveSocketFactory(info).createSocket()) {
            assertThat(s.getKeepAlive()).isTrue();
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(42);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(7);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(3);
        }
    }

    @Test
    void defaultsWhenThePropertiesAreMissingOrInvalid() throws IOException {
        Properties info = new Properties();
        info.setProperty(KeepAliveSocketFactory.IDLE_PROPERTY, "not a number");
        try (Socket s = new KeepAliveSocketFactory(info).createSocket()) {
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(60);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(15);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
        }
    }
}
