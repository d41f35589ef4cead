package db.api;

/**
 * A TLS connection that cannot succeed however often it is tried: the server's certificate is not trusted
 * (unknown CA, revoked, expired), does not name the host asked for ({@code verify-full}), the client's
 * certificate or key cannot be used (a file missing or unreadable at connect time, a wrong
 * {@code sslpassword}), the server refused the client's certificate or the TLS parameters, or it cannot do
 * {@code sslnegotiation=direct}. The message says what to fix and never contains a password. Not retryable:
 * {@code Database.open} and every checkout fail at once instead of waiting it out as an outage. Its
 * {@link #sqlState()} is {@code 08004} (the connection's establishment was rejected).
 */
public class TlsRejectedException extends ConnectionRejectedException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong and what to change, in words for the log (never a password)
     */
    public TlsRejectedException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong and what to change, in words for the log (never a password)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     */
    public TlsRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An exception with a message, a cause and what the server said.
     *
     * @param message what went wrong and what to change, in words for the log (never a password)
     * @param cause the exception underneath, usually the driver's {@link java.sql.SQLException}; may be
     *     {@code null}
     * @param details the SQLSTATE and what else is known; {@code null} means none
     */
    public TlsRejectedException(String message, Throwable cause, ErrorDetails details) {
        super(message, cause, details);
    }
}
