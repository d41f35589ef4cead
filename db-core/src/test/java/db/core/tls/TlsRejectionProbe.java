package db.core.tls;


/** Lets tests in other packages ask {@link TlsRejection#of} for its verdict. */
public final class TlsRejectionProbe {
    private TlsRejectionProbe() {
    }

    /** The rejection's message when {@code failure} is a permanent TLS failure, else null. */
    public static String permanent(Throwable failure, boolean directTls) {
        TlsRejection r = TlsRejection.of(failure, "127.0.0.1:5432/test", directTls);
        return r == null ? null : r.getMessage();
    }
}
