package db.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The certificates and keys of a TLS test cluster, made by {@link #generate()} with the machine's
 * {@code openssl} into a new temporary directory: a test CA, a second CA that signed nothing the server
 * presents (the "wrong CA"), a server certificate for {@code localhost} and {@code 127.0.0.1} (DNS and IP
 * subject alternative names), one for a name no client connects to ({@link #WRONG_NAME}), and a client
 * certificate for the {@link #CERT_USER} role with its key in every format {@link KeyFormat} lists, and two
 * certificate revocation lists of the test CA: one that revokes nothing, one that revokes the localhost
 * server certificate. Each
 * call makes new keys, a new {@link #scramPassword()} and a new {@link #keyPassword()}, so a test can
 * look for them in messages and logs without matching anything by accident.
 *
 * <p>Immutable: the paths and passwords never change. {@link #close()} removes the directory (the
 * cluster copies what the server needs into its own directory, so the order of closing does not
 * matter). {@link #toString()} names the directory only, never a password.
 */
public final class TlsFiles implements AutoCloseable {

    /** The role that logs in with its client certificate ({@code hostssl ... cert}). */
    public static final String CERT_USER = "certuser";
    /** The role that logs in with a password over TLS ({@code hostssl ... scram-sha-256}). */
    public static final String SCRAM_USER = "scramuser";
    /** The only name in the wrong-name server certificate; nothing resolves it, nobody connects to it. */
    public static final String WRONG_NAME = "wrong-name.switchboard.invalid";

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    /** How a copy of the client's private key is written, as users meet them. */
    public enum KeyFormat {
        /** PEM PKCS#8, {@code BEGIN PRIVATE KEY} (OpenSSL 3's default). */
        PKCS8_PEM("client-pkcs8.key", false),
        /** PEM PKCS#1, {@code BEGIN RSA PRIVATE KEY} (OpenSSL 1.x's and many tools' default). */
        PKCS1_PEM("client-pkcs1.key", false),
        /** Encrypted PEM PKCS#8, {@code BEGIN ENCRYPTED PRIVATE KEY}: PBES2 with AES-256-CBC (OpenSSL 3's default). */
        PKCS8_ENCRYPTED_PEM("client-pkcs8-aes.key", true),
        /** Legacy encrypted PEM: {@code BEGIN RSA PRIVATE KEY} with {@code Proc-Type} and {@code DEK-Info: AES-256-CBC}. */
        LEGACY_ENCRYPTED_PEM("client-legacy-aes.key", true),
        /** Unencrypted DER PKCS#8, the {@code .pk8} pgjdbc's documentation asks for. */
        PKCS8_DER("client.pk8", false);

        private final String fileName;
        private final boolean encrypted;

        KeyFormat(String fileName, boolean encrypted) {
            this.fileName = fileName;
            this.encrypted = encrypted;
        }

        /** Whether the key needs {@link TlsFiles#keyPassword()} ({@code sslpassword}). */
        public boolean encrypted() {
            return encrypted;
        }

        /** The file's name in the directory. */
        public String fileName() {
            return fileName;
        }
    }

    /** Which server certificate a cluster presents. */
    public enum ServerName {
        /** {@code CN=localhost}, SAN {@code DNS:localhost, IP:127.0.0.1}: verify-full passes by name and by address. */
        LOCALHOST,
        /** {@code CN} and SAN {@link #WRONG_NAME} only: verify-ca passes, verify-full fails for every host. */
        WRONG_NAME
    }

    private final Path directory;
    private final String scramPassword;
    private final String keyPassword;
    private final Map<KeyFormat, Path> clientKeys;

    private TlsFiles(Path directory, String scramPassword, String keyPassword) {
        this.directory = directory;
        this.scramPassword = scramPassword;
        this.keyPassword = keyPassword;
        Map<KeyFormat, Path> keys = new EnumMap<>(KeyFormat.class);
        for (KeyFormat format : KeyFormat.values()) {
            keys.put(format, directory.resolve(format.fileName()));
        }
        this.clientKeys = Map.copyOf(keys);
    }

    /**
     * Makes every file with {@code openssl} (from the {@code PATH}; {@code OPENSSL} names another) in a new
     * temporary directory. Takes about a second (five RSA keys).
     *
     * @throws IllegalStateException when openssl is missing or a command fails, with its output
     */
    public static TlsFiles generate() {
        Path dir;
        try {
            dir = Files.createTempDirectory("switchboard-tls-");
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for the test certificates: " + e.getMessage(), e);
        }
        TlsFiles files = new TlsFiles(dir, randomSecret("scram"), randomSecret("key"));
        try {
            files.make();
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
        return files;
    }

    /** The directory that holds every file. */
    public Path directory() {
        return directory;
    }

    /** The test CA's certificate (PEM): what {@code sslrootcert} names to verify the cluster. */
    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    /** A second CA's certificate (PEM); it signed nothing the cluster presents, so verifying against it fails. */
    public Path wrongCaCertificate() {
        return directory.resolve("wrong-ca.crt");
    }

    /** The server certificate (PEM) for {@code name}, signed by the test CA. */
    public Path serverCertificate(ServerName name) {
        return directory.resolve(name == ServerName.LOCALHOST ? "server.crt" : "wrong-name.crt");
    }

    /** The unencrypted PEM key of {@link #serverCertificate(ServerName)}. */
    public Path serverKey(ServerName name) {
        return directory.resolve(name == ServerName.LOCALHOST ? "server.key" : "wrong-name.key");
    }

    /** A CRL (PEM) of the test CA that revokes nothing: verification with it passes. */
    public Path emptyCrl() {
        return directory.resolve("ca-empty.crl");
    }

    /** A CRL (PEM) of the test CA that revokes the {@link ServerName#LOCALHOST} server certificate. */
    public Path serverRevokedCrl() {
        return directory.resolve("ca-server-revoked.crl");
    }

    /** The client certificate (PEM), {@code CN=}{@link #CERT_USER}, signed by the test CA. */
    public Path clientCertificate() {
        return directory.resolve("client.crt");
    }

    /** The client certificate's private key written in {@code format} (each format holds the same key). */
    public Path clientKey(KeyFormat format) {
        return clientKeys.get(format);
    }

    /** The key files of every format, for tests that iterate over them. */
    public Map<KeyFormat, Path> clientKeys() {
        return clientKeys;
    }

    /** The password of the {@link #SCRAM_USER} role: a secret, random per {@link #generate()}. */
    public String scramPassword() {
        return scramPassword;
    }

    /** The password of the encrypted client keys ({@code sslpassword}): a secret, random per {@link #generate()}. */
    public String keyPassword() {
        return keyPassword;
    }

    /** Removes the directory and every file in it. Idempotent. */
    @Override
    public void close() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("[testkit] could not remove " + directory + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "TlsFiles[" + directory + "]";
    }

    private void make() {
        write("req.cnf", """
                [req]
                distinguished_name = dn
                prompt = no
                [dn]
                CN = unused
                [ca]
                basicConstraints = critical,CA:TRUE
                keyUsage = critical,keyCertSign,cRLSign
                subjectKeyIdentifier = hash
                """);
        write("server.ext", """
                basicConstraints = CA:FALSE
                keyUsage = critical,digitalSignature,keyEncipherment
                extendedKeyUsage = serverAuth
                subjectAltName = DNS:localhost,IP:127.0.0.1
                """);
        write("wrong-name.ext", """
                basicConstraints = CA:FALSE
                keyUsage = critical,digitalSignature,keyEncipherment
                extendedKeyUsage = serverAuth
                subjectAltName = DNS:%s
                """.formatted(WRONG_NAME));
        write("client.ext", """
                basicConstraints = CA:FALSE
                keyUsage = critical,digitalSignature,keyEncipherment
                extendedKeyUsage = clientAuth
                """);
        ca("ca", "Switchboard test CA");
        ca("wrong-ca", "Switchboard wrong test CA");
        signed("server", "localhost", "server.ext", 2);
        signed("wrong-name", WRONG_NAME, "wrong-name.ext", 3);
        signed("client", CERT_USER, "client.ext", 4);

        // openssl ca keeps its revocations in index.txt; the empty CRL is made before the revocation.
        write("crl.cnf", """
                [ca]
                default_ca = test_ca
                [test_ca]
                database = index.txt
                crlnumber = crlnumber
                certificate = ca.crt
                private_key = ca.key
                default_md = sha256
                default_crl_days = 7
                """);
        write("index.txt", "");
        write("crlnumber", "01\n");
        openssl("ca", "-config", "crl.cnf", "-gencrl", "-out", emptyCrl().getFileName().toString());
        openssl("ca", "-config", "crl.cnf", "-revoke", "server.crt");
        openssl("ca", "-config", "crl.cnf", "-gencrl", "-out", serverRevokedCrl().getFileName().toString());

        // client.key is already PEM PKCS#8 (genpkey's output); every other format is converted from it.
        String pkcs8 = "client.key";
        copy(pkcs8, KeyFormat.PKCS8_PEM.fileName());
        openssl("rsa", "-in", pkcs8, "-traditional", "-out", KeyFormat.PKCS1_PEM.fileName());
        openssl("pkcs8", "-topk8", "-in", pkcs8, "-v2", "aes-256-cbc", "-passout", "env:TLSFILES_KEY_PASSWORD",
                "-out", KeyFormat.PKCS8_ENCRYPTED_PEM.fileName());
        openssl("rsa", "-in", pkcs8, "-traditional", "-aes256", "-passout", "env:TLSFILES_KEY_PASSWORD",
                "-out", KeyFormat.LEGACY_ENCRYPTED_PEM.fileName());
        openssl("pkcs8", "-topk8", "-in", pkcs8, "-nocrypt", "-outform", "DER",
                "-out", KeyFormat.PKCS8_DER.fileName());
        expectStart(KeyFormat.PKCS8_PEM, "-----BEGIN PRIVATE KEY-----");
        expectStart(KeyFormat.PKCS1_PEM, "-----BEGIN RSA PRIVATE KEY-----");
        expectStart(KeyFormat.PKCS8_ENCRYPTED_PEM, "-----BEGIN ENCRYPTED PRIVATE KEY-----");
        expectStart(KeyFormat.LEGACY_ENCRYPTED_PEM, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED");
    }

    private void ca(String name, String commonName) {
        openssl("req", "-x509", "-new", "-newkey", "rsa:2048", "-noenc", "-keyout", name + ".key",
                "-out", name + ".crt", "-days", "7", "-subj", "/CN=" + commonName, "-config", "req.cnf",
                "-extensions", "ca");
    }

    private void signed(String name, String commonName, String extensions, int serial) {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + commonName, "-config", "req.cnf",
                "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-set_serial", Integer.toString(serial), "-days", "7", "-extfile", extensions, "-out", name + ".crt");
    }

    private void expectStart(KeyFormat format, String start) {
        try {
            String text = Files.readString(clientKey(format), StandardCharsets.US_ASCII);
            if (!text.startsWith(start)) {
                throw new IllegalStateException("openssl wrote " + format + " in an unexpected form (expected it to "
                        + "start with " + start.lines().findFirst().orElse(start) + "): is this OpenSSL 3?");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + clientKey(format) + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, String text) {
        try {
            Files.writeString(directory.resolve(name), text);
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + name + ": " + e.getMessage(), e);
        }
    }

    private void copy(String from, String to) {
        try {
            Files.copy(directory.resolve(from), directory.resolve(to));
        } catch (IOException e) {
            throw new IllegalStateException("could not copy " + from + ": " + e.getMessage(), e);
        }
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>();
        String openssl = System.getenv("OPENSSL");
        command.add(openssl == null || openssl.isBlank() ? "openssl" : openssl);
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        // The key password reaches openssl through its environment, never its command line (visible in ps).
        builder.environment().put("TLSFILES_KEY_PASSWORD", keyPassword);
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("openssl could not run (" + e.getMessage() + "): TLS test clusters make "
                    + "their certificates with it. Install it (Debian: apt-get install openssl) or set OPENSSL.", e);
        }
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl " + arguments[0] + " did not finish within "
                        + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed (exit "
                        + p.exitValue() + "): " + out.trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("openssl " + arguments[0] + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while openssl ran", e);
        }
    }

    private static String randomSecret(String what) {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return what + "-S3cret-" + HexFormat.of().formatHex(bytes);
    }
}
