package db.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keys and certificates made by {@code openssl} for a test, in a temporary directory: a CA, a second CA
 * that nobody trusts, server certificates, and a client key in every form OpenSSL writes. Real files from
 * the tool users have, so the readers are tested against what they will meet.
 */
public final class TlsFixture {
    /** The password of every encrypted key here. */
    public static final String PASSWORD = "pw-S3cr3t-Sentinel";

    private final Path dir;

    public TlsFixture(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        ca("ca");
        ca("wrongca");
        Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = " + dir.resolve("index.txt")
                + "\ncrlnumber = " + dir.resolve("crlnumber") + "\ndefault_md = sha256\ndefault_crl_days = 2\n");
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("crlnumber"), "01\n");
    }

    /**
     * A PEM file (made once per JVM) holding one CA certificate of the JDK's default trust store: a root
     * certificate file that exists, for configuration tests that need one and no key.
     */
    public static synchronized Path anyRootCertificateFile() {
        if (anyRoot == null) {
            try {
                javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((java.security.KeyStore) null);
                java.security.cert.X509Certificate ca = ((javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0])
                        .getAcceptedIssuers()[0];
                Path file = Files.createTempFile("switchboard-root", ".crt");
                file.toFile().deleteOnExit();
                Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(ca.getEncoded()) + "\n-----END CERTIFICATE-----\n");
                anyRoot = file;
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return anyRoot;
    }

    private static Path anyRoot;

    /** A file in the fixture's directory. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Runs openssl with {@code args} in the fixture's directory; fails with its output when it fails. */
    public void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }

    private void ca(String name) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=Switchboard test " + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /**
     * A certificate {@code name}.crt with key {@code name}.key (PKCS#8 PEM), signed by {@code ca}.
     *
     * @param subjectAltName e.g. {@code DNS:localhost,IP:127.0.0.1}, or null for none
     * @param rsa            an RSA key (else EC P-256)
     */
    public Path certificate(String name, String ca, String cn, String subjectAltName, boolean rsa)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-newkey"));
        if (rsa) {
            args.addAll(List.of("rsa:2048"));
        } else {
            args.addAll(List.of("ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        args.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj",
                "/CN=" + cn, "-addext", "basicConstraints=CA:FALSE"));
        if (subjectAltName != null) {
            args.addAll(List.of("-addext", "subjectAltName=" + subjectAltName));
        }
        openssl(args.toArray(new String[0]));
        return file(name + ".crt");
    }

    /** A CRL of {@code ca} with every certificate revoked so far, written to {@code name}. */
    public Path crl(String name) throws IOException, InterruptedException {
        openssl("ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.crt", "-gencrl", "-out", name);
        return file(name);
    }

    /** Revokes {@code certificate} in the CA's database (the next {@link #crl} lists it). */
    public void revoke(String certificate) throws IOException, InterruptedException {
        openssl("ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.crt", "-revoke", certificate);
    }
}
