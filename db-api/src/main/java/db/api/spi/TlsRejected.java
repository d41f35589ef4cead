package db.api.spi;

/**
 * Marks an exception as the engine's verdict that a connect attempt failed in TLS for a reason no new
 * attempt can fix (a certificate the server or the client refuses, a key file that cannot be used, a
 * handshake the server cannot do). {@link SqlStateFamily#of(String, Throwable)} reports
 * {@link SqlStateFamily#TLS_REJECTED} for a failure with one among its causes, so every mapper and every
 * provider's connect path treats it as not retryable and never waits it out as an outage.
 *
 * <p>Only the engine throws such exceptions; a provider or mapper recognises them through
 * {@link SqlStateFamily} and does not implement this interface.
 */
public interface TlsRejected {
}
