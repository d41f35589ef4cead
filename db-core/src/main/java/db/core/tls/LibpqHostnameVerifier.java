package db.core.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The host name check Switchboard names in pgjdbc's {@code sslhostnameverifier} for {@code verify-full}: libpq's
 * rules (subject alternative names, a {@code *.} wildcard for one label, IP addresses by value, the common name
 * only without alternative names of the host's kind), the same that {@link LibpqSslSocketFactory} applies during
 * the handshake, so pgjdbc's own verifier, whose rules differ, never decides instead. pgjdbc runs it after the
 * handshake; by then the factory has refused a mismatch with a message naming the certificate's names.
 */
public final class LibpqHostnameVerifier implements HostnameVerifier {

    /** pgjdbc instantiates it by name. */
    public LibpqHostnameVerifier() {
        // stateless
    }

    @Override
    public boolean verify(String host, SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    && HostnameMatch.mismatch(host, leaf) == null;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
