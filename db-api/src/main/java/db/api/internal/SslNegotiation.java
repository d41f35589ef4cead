package db.api.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * libpq 17's rule for {@code sslnegotiation=direct}: the client opens with a TLS handshake and has no
 * plaintext fallback, so it is only allowed with an sslmode that requires TLS ({@code require},
 * {@code verify-ca}, {@code verify-full}); with any other mode (also the default, {@code prefer}) libpq
 * refuses the connection string, and so does Switchboard. A server before PostgreSQL 17 cannot take a direct
 * handshake at all: the engine's TLS verdict ({@link db.api.spi.TlsRejected}) reports that failure as what it
 * is, a setting no retry fixes.
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
}
