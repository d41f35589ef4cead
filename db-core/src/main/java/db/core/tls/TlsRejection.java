package db.core.tls;

import db.api.spi.TlsRejected;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The core's verdict that a connect attempt failed in TLS for a reason a new attempt cannot fix; the one
 * place that tells such a failure from an outage ({@link #of}). The physical connector throws it instead
 * of the driver's exception (a {@code 08006} pgjdbc uses for every connection failure, retryable), so every
 * provider, the checkout and the error mappers see SQLSTATE {@code 08004} and
 * {@link db.api.spi.SqlStateFamily#TLS_REJECTED}: not retryable, never waited out.
 *
 * <p>Its cause is the TLS exception itself (the certificate check's, the handshake's, or the key file's), and
 * the driver's exception is kept as suppressed, so a mapper reading pgjdbc's exceptions does not take its
 * {@code 08006} for the answer.
 */
public final class TlsRejection extends SQLNonTransientConnectionException implements TlsRejected {
    private static final long serialVersionUID = 1L;
    /** SQLSTATE 08004 sqlserver_rejected_establishment, as pgjdbc uses for "the server does not support SSL". */
    public static final String SQL_STATE = "08004";
    /** TLS alerts that say the peer refuses this configuration, not that the network failed. */
    private static final Set<String> PERMANENT_ALERTS = Set.of("bad_certificate", "unsupported_certificate",
            "certificate_revoked", "certificate_expired", "certificate_unknown", "unknown_ca", "access_denied",
            "certificate_required", "handshake_failure", "protocol_version", "insufficient_security",
            "no_application_protocol", "decrypt_error", "illegal_parameter");
    private static final int MAX_DEPTH = 32;

    private TlsRejection(String message, Throwable cause) {
        super(message, SQL_STATE, cause);
    }

    /**
     * The rejection for {@code failure} when it is a permanent TLS failure, else null.
     *
     * @param target      where the connection went, for the message
     * @param directTls   whether {@code sslnegotiation=direct} was asked for (then a server that answers the
     *                    handshake with anything but TLS cannot do it)
     */
    public static TlsRejection of(Throwable failure, String target, boolean directTls) {
        Throwable tls = null;
        String reason = null;
        int depth = 0;
        for (Throwable c = failure; c != null && depth < MAX_DEPTH; c = c.getCause() == c ? null : c.getCause(),
                depth++) {
            if (c instanceof TlsRejection rejection) {
                return rejection;
            }
            if (c instanceof TlsFileException) {
                tls = c;
                reason = "the TLS set-up cannot be used: " + c.getMessage();
                break;
            }
            if (c instanceof CertificateException) {
                tls = c;
                reason = c.getMessage();
                break;
            }
            if (c instanceof GeneralSecurityException && tls == null) {
                // Switchboard's socket factory could not be made (a key or trust store the JDK refuses)
                tls = c;
                reason = "the TLS set-up cannot be used: " + c.getMessage();
            }
            if (c instanceof SSLException ssl && tls == null) {
                String alert = alert(ssl);
                if (alert != null && PERMANENT_ALERTS.contains(alert)) {
                    tls = c;
                    reason = "the server refused the TLS handshake (" + c.getMessage() + ")" + advice(alert);
                } else if (directTls) {
                    tls = c;
                    reason = "the server did not answer a direct TLS handshake (" + c.getMessage() + "): "
                            + "sslnegotiation=direct needs PostgreSQL 17 or later, and no proxy in between that "
                            + "expects PostgreSQL's own negotiation; use sslnegotiation=postgres";
                } else if (ssl instanceof SSLHandshakeException && !causedByIo(ssl)) {
                    tls = c;
                    reason = "the TLS handshake failed (" + c.getMessage() + ")";
                }
            }
        }
        if (tls == null) {
            return null;
        }
        TlsRejection rejection = new TlsRejection("TLS with " + target + " failed, and will on every attempt: "
                + reason, tls);
        if (tls != failure) {
            rejection.addSuppressed(failure);
        }
        return rejection;
    }

    private static String alert(SSLException e) {
        String message = e.getMessage();
        String prefix = "Received fatal alert: ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()).trim() : null;
    }

    private static String advice(String alert) {
        return switch (alert) {
            case "certificate_required" -> ": the server wants a client certificate; set sslcert and sslkey";
            case "unknown_ca", "bad_certificate", "certificate_unknown", "access_denied" ->
                    ": the server does not accept the client certificate (sslcert)";
            case "certificate_revoked", "certificate_expired" -> ": the client certificate is " + alert.substring(12);
            case "protocol_version", "handshake_failure", "insufficient_security" ->
                    ": the server and the JVM share no TLS version or cipher (see jdk.tls.client.protocols)";
            default -> "";
        };
    }

    private static boolean causedByIo(Throwable t) {
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SocketException || c instanceof EOFException || c instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code t} or one of its causes is a rejection. */
    public static boolean in(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_DEPTH; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (c instanceof TlsRejection) {
                return true;
            }
        }
        return false;
    }
}
