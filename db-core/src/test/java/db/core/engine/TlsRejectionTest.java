package db.core.engine;

import db.core.tls.TlsFileException;
import db.core.tls.TlsRejection;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.DbConfig;
import db.api.TlsRejectedException;
import db.api.spi.ErrorContext;
import db.core.support.PoolFailures;
import db.api.spi.SqlStateFamily;
import java.io.EOFException;
import java.lang.reflect.InvocationTargetException;
import java.net.SocketException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Which connect failures are permanent TLS failures, and that every path (start, checkout, the mappers)
 * turns them into the same non-retryable {@link TlsRejectedException}.
 */
class TlsRejectionTest {

    /** What pgjdbc throws for a TLS failure: 08006 with the JDK's exception as the cause. */
    private static SQLException driver(Throwable cause) {
        return new SQLException("SSL error: " + cause.getMessage(), "08006", cause);
    }

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** {@link TlsRejection#of} as a plain Throwable (an SQLException is also an Iterable to AssertJ). */
    private static Throwable verdict(Throwable failure, String target, boolean direct) {
        return TlsRejection.of(failure, target, direct);
    }

    @Test
    void certificateFailuresKeyFilesAndRefusedHandshakesArePermanent() {
        assertThat(verdict(driver(handshake("x", new CertificateException("the server's certificate is "
                + "for DNS:a, not for the host 'b'"))), "t", false)).hasMessageContaining("not for the host 'b'");
        assertThat(verdict(new SQLException("could not be instantiated", "08006",
                new InvocationTargetException(new TlsFileException("sslkey file /k cannot be decrypted: the "
                        + "sslpassword is wrong"))), "t", false)).hasMessageContaining("sslpassword is wrong");
        assertThat(verdict(driver(handshake("Received fatal alert: certificate_required", null)), "t",
                false)).hasMessageContaining("set sslcert and sslkey");
        assertThat(verdict(driver(new SSLException("Received fatal alert: unknown_ca")), "t", false))
                .hasMessageContaining("does not accept the client certificate");
        assertThat(verdict(driver(handshake("No appropriate protocol", null)), "t", false)).isNotNull();
    }

    @Test
    void aNetworkFailureDuringTheHandshakeIsNot() {
        assertThat(verdict(driver(handshake("Remote host terminated the handshake", new EOFException())),
                "t", false)).isNull();
        assertThat(verdict(driver(new SocketException("Connection reset")), "t", false)).isNull();
        assertThat(verdict(new SQLException("Connection refused", "08001"), "t", false)).isNull();
    }

    @Test
    void withDirectTlsAServerThatAnswersOtherwiseCannotDoIt() {
        SQLException plaintextAnswer = driver(new SSLException("Unsupported or unrecognized SSL message"));
        assertThat(verdict(plaintextAnswer, "t", false)).isNull();
        assertThat(verdict(plaintextAnswer, "t", true)).hasMessageContaining("sslnegotiation=direct needs "
                + "PostgreSQL 17");
        assertThat(verdict(driver(handshake("Remote host terminated the handshake", new EOFException())),
                "t", true)).isNotNull();
    }

    @Test
    void theDriversExceptionIsKeptButNotAsACause() {
        SQLException pgjdbc = driver(handshake("x", new CertificateException("untrusted")));
        TlsRejection r = TlsRejection.of(pgjdbc, "h:5432/db", false);
        assertThat(r.getSQLState()).isEqualTo("08004");
        assertThat(r.getMessage()).startsWith("TLS with h:5432/db failed");
        assertThat(r.getSuppressed()).containsExactly(pgjdbc);
        for (Throwable c = r; c != null; c = c.getCause()) {
            assertThat(c).isNotSameAs(pgjdbc);
        }
    }

    @Test
    void everyPathMakesItANonRetryableTlsRejectedException() {
        TlsRejection r = TlsRejection.of(driver(handshake("x", new CertificateException("untrusted"))), "t", false);
        // a mapper
        DataAccessException mapped = new SqlStateFallbackMapper().map(r, ErrorContext.DEFAULT).orElseThrow();
        assertThat(mapped).isInstanceOf(TlsRejectedException.class).hasMessageContaining("untrusted");
        assertThat(mapped.isRetryable()).isFalse();
        assertThat(mapped.sqlState()).isEqualTo("08004");
        // a fail-fast start, through a pool's wrapper
        DbConfig config = DbConfig.builder().url("postgresql://h/db?sslmode=require").build();
        RuntimeException poolWrapper = new RuntimeException("pool could not start", r);
        DataAccessException atStart = PoolFailures.cannotConnectAtStart(config, poolWrapper);
        assertThat(atStart).isInstanceOf(TlsRejectedException.class).hasMessageContaining("untrusted");
        assertThat(atStart.isRetryable()).isFalse();
        // a checkout that needed a new connection
        assertThat(PoolFailures.hasDriverCause(poolWrapper)).isTrue();
        Exception checkout = PoolFailures.cannotConnect("p", new DatabaseTarget("h", 5432, "db", "u"), poolWrapper);
        assertThat(checkout).isInstanceOf(SQLException.class);
        assertThat(new SqlStateFallbackMapper().map((SQLException) checkout, ErrorContext.DEFAULT).orElseThrow())
                .isInstanceOf(TlsRejectedException.class);
        assertThat(SqlStateFamily.TLS_REJECTED.isRetryable()).isFalse();
        assertThat(SqlStateFamily.of("08004", r)).isEqualTo(SqlStateFamily.TLS_REJECTED);
        assertThat(SqlStateFamily.of("08004")).isEqualTo(SqlStateFamily.CONNECTION_REJECTED);
    }
}
