package db.core.tls;

import java.security.GeneralSecurityException;

/**
 * A TLS file (root certificate, revocation list, client certificate or key) that cannot be used, with a
 * message that names the file and says what to do; it never contains a password or key material.
 */
public final class TlsFileException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with which file, and how to fix it. */
    public TlsFileException(String message) {
        super(message);
    }

    /** What is wrong with which file, and the JDK's own exception (its message holds no secret either). */
    public TlsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
