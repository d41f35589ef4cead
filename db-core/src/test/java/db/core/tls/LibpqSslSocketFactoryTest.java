package db.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.testkit.TlsFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handshakes through the factory against a JDK TLS server that presents openssl-made certificates, as
 * pgjdbc drives it (a connected socket layered with {@code createSocket(socket, host, port, true)}, then
 * {@code startHandshake()}): what is verified in which mode, what the refusals say, and that they are
 * classified as permanent.
 */
class LibpqSslSocketFactoryTest {
    @TempDir
    static Path dir;
    static TlsFixture tls;

    @BeforeAll
    static void certificates() throws Exception {
        tls = new TlsFixture(dir);
        tls.certificate("server", "ca", "localhost", "DNS:localhost,IP:127.0.0.1", false);
        tls.certificate("other", "ca", "other.example", "DNS:other.example", false);
        tls.certificate("cnonly", "ca", "localhost", null, false);
        tls.certificate("revoked", "ca", "localhost", "DNS:localhost", false);
        tls.certificate("client", "ca", "tlsuser", null, true);
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-passout", "pass:" + TlsFixture.PASSWORD,
                "-out", "client-enc.pem");
        tls.crl("empty.crl");
        tls.revoke("revoked.crt");
        tls.crl("revoked.crl");
    }

    /** A one-connection TLS server; answers "ok" plus the client's certificate subject, if any. */
    private static final class Server implements AutoCloseable {
        final SSLServerSocket socket;
        final CompletableFuture<String> clientSubject = new CompletableFuture<>();

        Server(String certificate, boolean needClientAuth) throws Exception {
            TlsFiles.ClientKey key = TlsFiles.clientKey(tls.file(certificate + ".crt"), tls.file(certificate + ".key"),
                    null);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key.key(), new char[0], key.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", TlsFiles.certificates(tls.file("ca.crt"), "ca").get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
                    InetAddress.getLoopbackAddress());
            socket.setNeedClientAuth(needClientAuth);
            Thread t = new Thread(this::serve, "tls-test-server");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            try (SSLSocket s = (SSLSocket) socket.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                String subject;
                try {
                    subject = s.getSession().getPeerCertificates()[0] instanceof X509Certificate c
                            ? c.getSubjectX500Principal().getName() : "?";
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    subject = "none";
                }
                clientSubject.complete(subject);
                s.getOutputStream().write('k');
                s.getOutputStream().flush();
            } catch (IOException e) {
                clientSubject.completeExceptionally(e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Connects as pgjdbc does and reads the server's first byte. */
    private static String connect(Server server, String host, Map<String, String> properties) throws Exception {
        Properties info = new Properties();
        info.putAll(properties);
        LibpqSslSocketFactory factory = new LibpqSslSocketFactory(info);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
        try (SSLSocket s = (SSLSocket) factory.createSocket(plain, host, server.port(), true)) {
            s.setSoTimeout(5_000);
            s.setUseClientMode(true);
            s.startHandshake();
            InputStream in = s.getInputStream();
            return String.valueOf((char) in.read());
        }
    }

    private static Map<String, String> root(String mode, String rootCert) {
        return Map.of("sslmode", mode, "sslrootcert", tls.file(rootCert).toString());
    }

    @Test
    void verifyFullAcceptsTheRightNameAndAddress() throws Exception {
        for (String host : new String[] {"localhost", "LOCALHOST", "127.0.0.1"}) {
            try (Server server = new Server("server", false)) {
                assertThat(connect(server, host, root("verify-full", "ca.crt"))).as(host).isEqualTo("k");
            }
        }
    }

    @Test
    void verifyFullFallsBackToTheCommonNameOnlyWithoutAlternativeNames() throws Exception {
        try (Server server = new Server("cnonly", false)) {
            assertThat(connect(server, "localhost", root("verify-full", "ca.crt"))).isEqualTo("k");
        }
    }

    @Test
    void aHostNameMismatchNamesTheCertificatesNamesAndTheHost() throws Exception {
        try (Server server = new Server("other", false)) {
            Throwable failure = catchFailure(() -> connect(server, "127.0.0.1", root("verify-full", "ca.crt")));
            assertThat(messages(failure)).contains("DNS:other.example").contains("CN:other.example")
                    .contains("not for the host '127.0.0.1'");
            assertThat(TlsRejectionProbe.permanent(failure, false)).contains("DNS:other.example");
        }
    }

    @Test
    void verifyCaDoesNotCheckTheName() throws Exception {
        try (Server server = new Server("other", false)) {
            assertThat(connect(server, "127.0.0.1", root("verify-ca", "ca.crt"))).isEqualTo("k");
        }
    }

    @Test
    void anUntrustedServerIsRefusedInEveryModeThatHasARootCertificate() throws Exception {
        for (String mode : new String[] {"verify-full", "verify-ca", "require", "prefer", "allow"}) {
            try (Server server = new Server("server", false)) {
                Throwable failure = catchFailure(() -> connect(server, "localhost", root(mode, "wrongca.crt")));
                assertThat(messages(failure)).as(mode).contains("is not trusted by sslrootcert "
                        + tls.file("wrongca.crt")).contains("CN=Switchboard test ca");
                assertThat(TlsRejectionProbe.permanent(failure, false)).as(mode).isNotNull();
            }
        }
    }

    @Test
    void aRotatedRootCertificateIsReadAgain() throws Exception {
        Path rotating = tls.file("rotating.crt");
        java.nio.file.Files.copy(tls.file("ca.crt"), rotating);
        Map<String, String> p = Map.of("sslmode", "verify-full", "sslrootcert", rotating.toString());
        try (Server server = new Server("server", false)) {
            assertThat(connect(server, "localhost", p)).isEqualTo("k");
        }
        java.nio.file.Files.copy(tls.file("wrongca.crt"), rotating, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.setLastModifiedTime(rotating, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 5_000));
        try (Server server = new Server("server", false)) {
            assertThat(messages(catchFailure(() -> connect(server, "localhost", p)))).contains("is not trusted");
        }
    }

    @Test
    void requireWithoutAnyRootCertificateDoesNotVerifyAsLibpq() throws Exception {
        try (Server server = new Server("other", false)) {
            assertThat(connect(server, "localhost", Map.of("sslmode", "require"))).isEqualTo("k");
        }
    }

    @Test
    void systemRootsAreTheJdksTrustStoreWithTheNameChecked() throws Exception {
        try (Server server = new Server("server", false)) {
            Throwable failure = catchFailure(() -> connect(server, "localhost", Map.of("sslrootcert", "system")));
            assertThat(messages(failure)).contains("is not trusted by the JDK's default trust store");
        }
        assertThatThrownBy(() -> new LibpqSslSocketFactory(props("sslrootcert", "system", "sslmode", "require")))
                .hasMessageContaining("sslrootcert=system needs sslmode=verify-full");
    }

    @Test
    void revocationListsAreChecked() throws Exception {
        try (Server server = new Server("revoked", false)) {
            assertThat(connect(server, "localhost", Map.of("sslmode", "verify-full", "sslrootcert",
                    tls.file("ca.crt").toString(), TlsSettings.CRL_PROPERTY, tls.file("empty.crl").toString())))
                    .isEqualTo("k");
        }
        try (Server server = new Server("revoked", false)) {
            Throwable failure = catchFailure(() -> connect(server, "localhost", Map.of("sslmode", "verify-full",
                    "sslrootcert", tls.file("ca.crt").toString(), TlsSettings.CRL_PROPERTY,
                    tls.file("revoked.crl").toString())));
            assertThat(messages(failure)).containsIgnoringCase("revoked");
            assertThat(TlsRejectionProbe.permanent(failure, false)).isNotNull();
        }
    }

    @Test
    void theClientCertificateIsSentWhenTheServerAsks() throws Exception {
        try (Server server = new Server("server", true)) {
            Map<String, String> p = Map.of("sslmode", "verify-full", "sslrootcert", tls.file("ca.crt").toString(),
                    "sslcert", tls.file("client.crt").toString(), "sslkey", tls.file("client-enc.pem").toString(),
                    "sslpassword", TlsFixture.PASSWORD);
            assertThat(connect(server, "localhost", p)).isEqualTo("k");
            assertThat(server.clientSubject.get(10, TimeUnit.SECONDS)).isEqualTo("CN=tlsuser");
        }
    }

    @Test
    void withoutAClientCertificateTheServersRefusalIsPermanent() throws Exception {
        try (Server server = new Server("server", true)) {
            Throwable failure = catchFailure(() -> connect(server, "localhost", root("verify-full", "ca.crt")));
            assertThat(TlsRejectionProbe.permanent(failure, false)).isNotNull();
        }
    }

    @Test
    void aWrongKeyPasswordFailsTheFactoryWithoutQuotingAnyPassword() {
        Properties p = props("sslmode", "require", "sslcert", tls.file("client.crt").toString(), "sslkey",
                tls.file("client-enc.pem").toString(), "sslpassword", "wrong-" + TlsFixture.PASSWORD);
        assertThatThrownBy(() -> new LibpqSslSocketFactory(p)).hasMessageContaining("sslpassword is wrong")
                .hasMessageNotContaining(TlsFixture.PASSWORD);
        try {
            new LibpqSslSocketFactory(p);
        } catch (Exception e) {
            assertThat(TlsRejectionProbe.permanent(e, false)).contains("sslpassword is wrong");
        }
    }

    @Test
    void theFactorysDescriptionHoldsNoSecret() throws Exception {
        Properties p = props("sslmode", "verify-full", "sslrootcert", tls.file("ca.crt").toString(), "sslcert",
                tls.file("client.crt").toString(), "sslkey", tls.file("client-enc.pem").toString(), "sslpassword",
                TlsFixture.PASSWORD);
        assertThat(new LibpqSslSocketFactory(p).toString()).contains("verify-full").contains("client-enc.pem")
                .doesNotContain(TlsFixture.PASSWORD);
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static Throwable catchFailure(Attempt attempt) {
        try {
            Object result = attempt.run();
            throw new AssertionError("expected a failure, got " + result);
        } catch (Exception e) {
            return e;
        }
    }

    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c).append(" | ");
        }
        return out.toString();
    }
}
