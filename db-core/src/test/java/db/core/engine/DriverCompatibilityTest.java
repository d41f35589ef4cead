package db.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import db.core.tls.TlsRejection;
import java.io.EOFException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The version rules for settings an older pgjdbc would weaken, and the direct-negotiation failure. */
class DriverCompatibilityTest {
    private static final Map<String, String> BINDING = Map.of("channelBinding", "require");
    private static final Map<String, String> AUTH = Map.of("requireAuth", "scram-sha-256");

    private static Optional<DriverCompatibility.Version> v(int patch) {
        return Optional.of(new DriverCompatibility.Version(42, 7, patch));
    }

    @Test
    void channelBindingRequireNeeds42712() {
        List<String> problems = DriverCompatibility.problems(BINDING, v(11));
        assertThat(problems).singleElement().asString()
                .contains("channel_binding=require needs pgjdbc 42.7.12 or later, but pgjdbc 42.7.11")
                .contains("CVE-2026-54291");
        assertThat(DriverCompatibility.problems(BINDING, v(12))).isEmpty();
        assertThat(DriverCompatibility.problems(BINDING, Optional.of(new DriverCompatibility.Version(43, 0, 0))))
                .isEmpty();
        assertThat(DriverCompatibility.problems(Map.of("channelBinding", "prefer"), v(3))).isEmpty();
    }

    @Test
    void requireAuthNeeds42711() {
        assertThat(DriverCompatibility.problems(AUTH, v(10))).singleElement().asString()
                .contains("require_auth needs pgjdbc 42.7.11 or later, but pgjdbc 42.7.10");
        assertThat(DriverCompatibility.problems(AUTH, v(11))).isEmpty();
        assertThat(DriverCompatibility.problems(AUTH, Optional.empty())).isEmpty();
    }

    @Test
    void visibleIsThePgjdbcOnThePath() throws ReflectiveOperationException {
        Class<?> info = Class.forName("org.postgresql.util.DriverInfo");
        DriverCompatibility.Version onPath = new DriverCompatibility.Version(
                info.getField("MAJOR_VERSION").getInt(null), info.getField("MINOR_VERSION").getInt(null),
                info.getField("PATCH_VERSION").getInt(null));
        assertThat(DriverCompatibility.visible()).contains(onPath);
        assertThat(DriverCompatibility.of(info)).contains(onPath);
    }

    @Test
    void aDirectHandshakeThatThePeerClosesIsAPermanentRejection() {
        SQLException closed = new SQLException("SSL error: Remote host terminated the handshake", "08006",
                new SSLHandshakeException("Remote host terminated the handshake"));
        closed.getCause().initCause(new EOFException("SSL peer shut down incorrectly"));
        TlsRejection rejected = TlsRejection.of(closed, "h:5432", true);
        assertThat((Object) rejected).isNotNull();
        assertThat(rejected.getMessage()).contains("h:5432").contains("sslnegotiation=direct needs PostgreSQL 17 or later");
        // Without a direct handshake, a peer that hangs up during it is a network failure: retried as an outage.
        assertThat((Object) TlsRejection.of(closed, "h:5432", false)).isNull();
        assertThat((Object) TlsRejection.of(new SQLException("Connection refused", "08001"), "h:5432", true)).isNull();
    }
}
