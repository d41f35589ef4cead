package db.core.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * libpq's TLS rules in one place, read from pgjdbc-named connection properties: which files are used
 * (explicit ones, else libpq's defaults under {@code ~/.postgresql/}: {@code postgresql.crt},
 * {@code postgresql.key} (pgjdbc's {@code postgresql.pk8} when that is the one present), {@code root.crt},
 * {@code root.crl}) and how much is verified:
 * <ul>
 *   <li>{@code sslrootcert=system}: the JDK's default trust store, and {@code verify-full}; a weaker explicit
 *       {@code sslmode} is refused (libpq 16+);</li>
 *   <li>a root certificate present (named, or {@code ~/.postgresql/root.crt}) means the server's certificate
 *       is verified against it in every mode that uses TLS, as libpq does ({@code require} then behaves as
 *       {@code verify-ca});</li>
 *   <li>{@code verify-ca} and {@code verify-full} without any root certificate are refused, as libpq refuses
 *       them;</li>
 *   <li>{@code verify-full} checks the host name by libpq's rules ({@link HostnameMatch}).</li>
 * </ul>
 * Used twice with the same answer: when {@code DbConfig} is built ({@link #check}, through the engine's
 * {@code ConfigKeySource}; every problem listed) and by the socket factory pgjdbc creates for each TLS
 * connection.
 *
 * @param mode      pgjdbc's sslmode after the rules (never weaker than libpq's)
 * @param verifyCa  whether the server's chain must lead to a trusted root
 * @param verifyHost whether the host name must match the certificate
 * @param rootCert  the root certificate file, or null for the JDK's default trust store or no verification
 * @param systemRoots whether the JDK's default trust store is the root ({@code sslrootcert=system})
 * @param crl       the revocation list file, or null
 * @param cert      the client certificate file, or null when no client certificate is sent
 * @param key       the client key file (PKCS#12 holds the certificate as well), or null
 */
public record TlsSettings(String mode, boolean verifyCa, boolean verifyHost, Path rootCert, boolean systemRoots,
                          Path crl, Path cert, Path key) {

    /**
     * pgjdbc has no sslcrl property; Switchboard passes the file to its socket factory under this name (the
     * one db.api's URL translation gives libpq's {@code sslcrl}: TlsSettingsTest checks they agree).
     */
    public static final String CRL_PROPERTY = "switchboard.sslcrl";
    /** Switchboard's socket factory, named in pgjdbc's {@code sslfactory}. */
    public static final String FACTORY = LibpqSslSocketFactory.class.getName();
    /** Switchboard's host name check, named in pgjdbc's {@code sslhostnameverifier}. */
    public static final String VERIFIER = LibpqHostnameVerifier.class.getName();
    private static final Set<String> VERIFYING = Set.of("verify-ca", "verify-full");
    private static final Set<String> PGJDBC_LIBPQ_FACTORIES = Set.of("org.postgresql.ssl.LibPQFactory",
            "org.postgresql.ssl.jdbc4.LibPQFactory");

    /** The directory of libpq's default files: {@code ~/.postgresql} from {@code user.home}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home", "."), ".postgresql");
    }

    /**
     * The settings for {@code properties} (pgjdbc names), with libpq's defaults from {@code directory}.
     *
     * @throws TlsFileException when the combination is one libpq refuses, or Switchboard cannot honour
     */
    public static TlsSettings of(Map<String, String> properties, Path directory) throws TlsFileException {
        String explicitMode = properties.get("sslmode");
        String mode = explicitMode == null ? "prefer" : explicitMode;
        String root = blankToNull(properties.get("sslrootcert"));
        boolean system = "system".equals(root);
        if (system && explicitMode != null && !"verify-full".equals(explicitMode)) {
            throw new TlsFileException("sslrootcert=system needs sslmode=verify-full, but sslmode is " + explicitMode
                    + " (libpq 16+ refuses a weaker mode with the system's trusted roots: checking the CA without the "
                    + "host name proves nothing when any public CA is trusted)");
        }
        if (system) {
            mode = "verify-full";
        }
        Path rootCert = null;
        if (!system) {
            rootCert = root != null ? Path.of(root) : existing(directory.resolve("root.crt"));
        }
        boolean verifyCa = system || rootCert != null || VERIFYING.contains(mode);
        if ("disable".equals(mode)) {
            verifyCa = false;
        }
        if (verifyCa && !system && rootCert == null) {
            throw new TlsFileException("sslmode=" + mode + " needs a root certificate, but sslrootcert is not set and "
                    + directory.resolve("root.crt") + " does not exist: name the CA's certificate in sslrootcert, use "
                    + "sslrootcert=system for the JDK's trusted roots, or change sslmode (libpq refuses it the same way)");
        }
        if ("require".equals(mode) && verifyCa) {
            mode = "verify-ca"; // libpq: require with a root certificate present verifies the CA
        }
        String crlName = blankToNull(properties.get(CRL_PROPERTY));
        Path crl = crlName != null ? Path.of(crlName) : existing(directory.resolve("root.crl"));
        String certName = blankToNull(properties.get("sslcert"));
        String keyName = blankToNull(properties.get("sslkey"));
        Path key = keyName != null ? Path.of(keyName) : null;
        Path cert;
        if (key != null && isPkcs12(key)) {
            cert = null; // the PKCS#12 file holds the certificate
        } else {
            cert = certName != null ? Path.of(certName) : existing(directory.resolve("postgresql.crt"));
            if (cert != null && key == null) {
                key = existing(directory.resolve("postgresql.key"));
                if (key == null) {
                    key = existing(directory.resolve("postgresql.pk8"));
                }
                if (key == null) {
                    throw new TlsFileException("the client certificate " + cert + " has no private key: set sslkey "
                            + "or put it at " + directory.resolve("postgresql.key"));
                }
            }
            if (cert == null && key != null) {
                throw new TlsFileException("sslkey " + key + " is set, but there is no client certificate: set "
                        + "sslcert or put it at " + directory.resolve("postgresql.crt"));
            }
        }
        return new TlsSettings(mode, verifyCa, "verify-full".equals(mode), rootCert, system,
                verifyCa ? crl : null, cert, key);
    }

    /** Whether {@code key} names a PKCS#12 file (pgjdbc's rule: by extension). */
    public static boolean isPkcs12(Path key) {
        String name = key.getFileName() == null ? "" : key.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    /** Whether a client key is used. */
    public boolean clientCertificate() {
        return key != null;
    }

    /**
     * The build-time part: applies the rules to {@code out} (pgjdbc names, as the URL's parameters become
     * them), installs Switchboard's socket factory and host name check, and reads every file named or
     * found, so that a missing file, a key the JDK cannot read or a wrong {@code sslpassword} is a problem
     * now, listed with the others, instead of a failure at each connect. Never quotes a password.
     */
    public static void check(Map<String, String> out, List<String> problems) {
        String factory = out.get("sslfactory");
        if (factory != null && !PGJDBC_LIBPQ_FACTORIES.contains(factory) && !FACTORY.equals(factory)) {
            if ("org.postgresql.ssl.NonValidatingFactory".equals(factory)
                    && VERIFYING.contains(out.getOrDefault("sslmode", "prefer"))) {
                problems.add("db.url: sslfactory=org.postgresql.ssl.NonValidatingFactory does not verify the server, "
                        + "but sslmode is " + out.get("sslmode") + "; remove sslfactory");
            }
            return; // the application's own factory decides trust
        }
        TlsSettings settings;
        try {
            settings = of(out, defaultDirectory());
        } catch (TlsFileException e) {
            problems.add("db.url: " + e.getMessage());
            return;
        }
        if ("disable".equals(settings.mode())) {
            out.remove("sslfactory");
            return;
        }
        if (out.containsKey("sslmode") || !"prefer".equals(settings.mode())) {
            out.put("sslmode", settings.mode());
        }
        out.put("sslfactory", FACTORY);
        if (settings.verifyHost()) {
            out.putIfAbsent("sslhostnameverifier", VERIFIER);
        }
        if (settings.crl() != null) {
            out.put(CRL_PROPERTY, settings.crl().toString());
        }
        settings.readFiles(out.get("sslpassword"), out.containsKey("sslpasswordcallback"), problems);
    }

    /** Reads each file once, adding what is wrong to {@code problems}. */
    void readFiles(String password, boolean passwordCallback, List<String> problems) {
        try {
            if (rootCert != null && verifyCa) {
                TlsFiles.certificates(rootCert, "sslrootcert");
            }
        } catch (TlsFileException e) {
            problems.add("db.url: " + e.getMessage());
        }
        try {
            if (crl != null) {
                TlsFiles.crls(crl);
            }
        } catch (TlsFileException e) {
            problems.add("db.url: " + e.getMessage());
        }
        if (key != null && (password != null || !passwordCallback)) {
            try {
                TlsFiles.clientKey(cert, key, password == null ? null : password.toCharArray());
            } catch (TlsFileException e) {
                problems.add("db.url: " + e.getMessage());
            }
        }
    }

    private static Path existing(Path p) {
        return Files.isRegularFile(p) ? p : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
