package db.api.internal;

import java.io.EOFException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * libpq 17's rule for {@code sslnegotiation=direct}: the client opens with a TLS handshake and has no
 * plaintext fallback, so it is only allowed with an sslmode that requires TLS ({@code require},
 * {@code verify-ca}, {@code verify-full}); with any other mode (also the default, {@code prefer}) libpq
 * refuses the connection string, and so does Switchboard. A server before PostgreSQL 17 cannot take a direct
 * handshake at all: that failure is reported as what it is, a setting no retry fixes.
 */
final class SslNegotiation {
    private static final Set<String> TLS_REQUIRED = Set.of("require", "verify-ca", "verify-full");

    private SslNegotiation() {
    }

    /** Adds a problem to {@code problems} when the translated pgjdbc {@code properties} break the rule. */
    static void check(Map<String, String> properties, List<String> problems) {
        if (!"direct".equals(properties.get("sslNegotiation"))) {
            return;
        }
        String mode = properties.getOrDefault("sslmode", "prefer");
        if (!TLS_REQUIRED.contains(mode)) {
            problems.add("db.url: sslnegotiation=direct needs sslmode=require, verify-ca or verify-full (libpq 17's "
                    + "rule: a direct TLS handshake has no plaintext fallback), but sslmode is " + mode);
        }
    }

    /**
     * The failure to report for {@code failure}, a connect to {@code target} with the pgjdbc
     * {@code properties}, or {@code null} to report it as it is. With {@code sslNegotiation=direct}, a server
     * before PostgreSQL 17 reads the TLS ClientHello as a malformed startup packet and closes the connection;
     * pgjdbc reports "SSL error: Remote host terminated the handshake" (08006, which would be retried as an
     * outage). It is a setting no retry fixes: 08004, so the mappers make it a non-retryable
     * ConnectionRejectedException, with the message saying what to change.
     */
    static SQLException explain(Map<String, String> properties, Object target, SQLException failure) {
        if (!"direct".equals(properties.get("sslNegotiation")) || !closedAtHandshake(failure)) {
            return null;
        }
        // The driver's exception (08006) is kept as suppressed, not as the cause: the providers report the
        // first driver exception among the causes, and this one must be reported instead.
        SQLException explained = new SQLException("The server at " + target + " closed the connection at the start "
                + "of the TLS handshake: sslnegotiation=direct needs a PostgreSQL 17 or later server with ssl=on (an "
                + "older server reads the handshake as a broken startup packet); remove sslnegotiation=direct (or "
                + "set sslnegotiation=postgres, the default) to connect to this server", "08004", failure.getCause());
        explained.addSuppressed(failure);
        return explained;
    }

    /** Whether the chain holds a TLS handshake that ended because the peer closed the connection. */
    private static boolean closedAtHandshake(Throwable failure) {
        boolean handshake = false;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SSLHandshakeException) {
                handshake = true;
            }
            if (handshake && t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }
}
