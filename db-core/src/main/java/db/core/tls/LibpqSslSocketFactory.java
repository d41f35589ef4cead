package db.core.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.CertPathBuilder;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.PasswordCallback;

/**
 * The TLS socket factory Switchboard hands to pgjdbc ({@code sslfactory}), with libpq's behaviour and
 * the JDK only: the server is verified against {@code sslrootcert} (a PEM bundle, or {@code system} for the
 * JDK's default trust store), with {@code sslcrl} when given, whenever a root certificate is present and
 * in {@code verify-ca}/{@code verify-full}; {@code verify-full} checks the host name by libpq's rules and a
 * mismatch names the certificate's names and the host; the client certificate chain ({@code sslcert}) and
 * key ({@code sslkey}: PEM PKCS#8 or PKCS#1 or SEC1, encrypted or not, DER {@code .pk8}, PKCS#12) are sent
 * when the server asks; libpq's default files under {@code ~/.postgresql/} are used when nothing is named.
 * The rules are {@code TlsSettings}'s, the same that {@code DbConfig} applied when it was built.
 *
 * <p>pgjdbc instantiates it by name for each TLS connection with the connection's properties; it reads
 * {@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey}, {@code sslpassword},
 * {@code sslpasswordcallback} and {@code switchboard.sslcrl} (libpq's {@code sslcrl}, which pgjdbc has no property for). A file that cannot be
 * used fails the constructor with a message naming the file and what to do; none quotes a password.
 */
public final class LibpqSslSocketFactory extends SSLSocketFactory {
    private static final String ALIAS = "client";

    private final SSLSocketFactory delegate;
    private final String description;

    /**
     * A factory for the connection whose properties are {@code info}.
     *
     * @param info the connection's driver properties, as pgjdbc passes them
     *
     * @throws GeneralSecurityException when a file cannot be used, or the combination is refused
     */
    public LibpqSslSocketFactory(Properties info) throws GeneralSecurityException {
        Map<String, String> properties = new HashMap<>();
        for (String name : info.stringPropertyNames()) {
            properties.put(name, info.getProperty(name));
        }
        TlsSettings settings = TlsSettings.of(properties, TlsSettings.defaultDirectory());
        CacheKey key = CacheKey.of(settings, info);
        Built built = key == null ? null : CACHE.get(key);
        if (built == null) {
            built = build(settings, info);
            if (key != null) {
                CACHE.put(key, built);
            }
        }
        this.delegate = built.factory();
        this.description = built.description();
    }

    /** The JDK's socket factory and the description, made from the files. */
    private record Built(SSLSocketFactory factory, String description) {
    }

    /**
     * pgjdbc makes a factory per connection; parsing the files, deriving a key's password (PBKDF2) and setting up
     * an SSLContext each time would cost every connect, and most in a reconnect storm. So the result is kept per
     * settings, file versions (size and modification time: a rotated certificate is read again) and a digest of
     * the password; never when a password callback decides. Small and bounded: one entry per distinct TLS set-up.
     */
    private static final Map<CacheKey, Built> CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<CacheKey, Built> eldest) {
                    return size() > 16;
                }
            });

    /** What a built factory depends on; holds a SHA-256 of the password, never the password. */
    private record CacheKey(TlsSettings settings, List<String> fileVersions, String passwordDigest) {
        static CacheKey of(TlsSettings settings, Properties info) {
            String callback = info.getProperty("sslpasswordcallback");
            if (callback != null && !callback.isBlank() && info.getProperty("sslpassword") == null) {
                return null;
            }
            List<String> versions = new java.util.ArrayList<>();
            for (Path file : new Path[] {settings.rootCert(), settings.crl(), settings.cert(), settings.key()}) {
                if (file != null) {
                    try {
                        versions.add(java.nio.file.Files.size(file) + "@"
                                + java.nio.file.Files.getLastModifiedTime(file).toMillis());
                    } catch (IOException e) {
                        return null; // building will say what is wrong with the file
                    }
                }
            }
            String password = info.getProperty("sslpassword");
            String digest = "";
            if (password != null) {
                try {
                    digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                } catch (java.security.NoSuchAlgorithmException e) {
                    return null;
                }
            }
            return new CacheKey(settings, List.copyOf(versions), digest);
        }

        @Override
        public String toString() {
            return "CacheKey[" + settings + "]";
        }
    }

    private static Built build(TlsSettings settings, Properties info) throws GeneralSecurityException {
        KeyManager[] keyManagers = new KeyManager[0];
        if (settings.clientCertificate()) {
            char[] password = password(info);
            try {
                TlsFiles.ClientKey clientKey = TlsFiles.clientKey(settings.cert(), settings.key(), password);
                keyManagers = new KeyManager[] {new ClientKeyManager(clientKey)};
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }
        TrustManager trust = settings.verifyCa() ? verifying(settings) : new Accepting();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, new TrustManager[] {trust}, null);
        String description = "LibpqSslSocketFactory[sslmode " + settings.mode() + ", "
                + (settings.verifyCa() ? "root " + (settings.systemRoots() ? "system" : settings.rootCert()) : "no "
                + "server verification") + (settings.crl() != null ? ", crl " + settings.crl() : "")
                + (settings.clientCertificate() ? ", client key " + settings.key() : "") + "]";
        return new Built(context.getSocketFactory(), description);
    }

    /** sslpassword, else what the sslpasswordcallback class answers, else null. */
    private static char[] password(Properties info) throws TlsFileException {
        String password = info.getProperty("sslpassword");
        if (password != null) {
            return password.toCharArray();
        }
        String callbackClass = info.getProperty("sslpasswordcallback");
        if (callbackClass == null || callbackClass.isBlank()) {
            return null;
        }
        try {
            Class<?> type;
            try {
                type = Class.forName(callbackClass, true, LibpqSslSocketFactory.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // the application's class in a layer or loader of its own, as pgjdbc would look it up
                type = Class.forName(callbackClass, true, Thread.currentThread().getContextClassLoader());
            }
            CallbackHandler handler;
            try {
                handler = (CallbackHandler) type.getConstructor(Properties.class).newInstance(info);
            } catch (NoSuchMethodException e) {
                handler = (CallbackHandler) type.getConstructor().newInstance();
            }
            PasswordCallback callback = new PasswordCallback("Enter SSL password: ", false);
            handler.handle(new Callback[] {callback});
            char[] answer = callback.getPassword();
            callback.clearPassword();
            return answer;
        } catch (ReflectiveOperationException | ClassCastException | IOException
                 | javax.security.auth.callback.UnsupportedCallbackException e) {
            throw new TlsFileException("sslpasswordcallback " + callbackClass + " gave no password: " + e, e);
        }
    }

    private static TrustManager verifying(TlsSettings settings) throws GeneralSecurityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        String source;
        if (settings.systemRoots()) {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            for (TrustManager tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    for (X509Certificate c : x509.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(c, null));
                    }
                }
            }
            source = "the JDK's default trust store (sslrootcert=system)";
        } else {
            for (X509Certificate c : TlsFiles.certificates(settings.rootCert(), "sslrootcert")) {
                anchors.add(new TrustAnchor(c, null));
            }
            source = "sslrootcert " + settings.rootCert();
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, null);
        parameters.setRevocationEnabled(false);
        if (settings.crl() != null) {
            // OpenSSL's X509_V_FLAG_CRL_CHECK | CRL_CHECK_ALL, as libpq sets them: every certificate of the chain
            // needs a revocation list from the file; nothing is fetched from the network.
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(TlsFiles.crls(settings.crl()))));
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
                    .getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK));
            parameters.addCertPathChecker(revocation);
            source += " with sslcrl " + settings.crl();
        }
        TrustManagerFactory pkix = TrustManagerFactory.getInstance("PKIX");
        pkix.init(new CertPathTrustManagerParameters(parameters));
        X509ExtendedTrustManager delegate = null;
        for (TrustManager tm : pkix.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                delegate = x509;
            }
        }
        if (delegate == null) {
            throw new GeneralSecurityException("the JDK's PKIX trust manager is not available");
        }
        return new Verifying(delegate, settings.verifyHost(), source);
    }

    // ---- the factory ----

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return delegate.createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return delegate.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return delegate.createSocket(address, port, localAddress, localPort);
    }

    @Override
    public String toString() {
        return description;
    }

    // ---- trust ----

    /** {@code require}, {@code prefer}, {@code allow} with no root certificate anywhere: libpq does not verify. */
    private static final class Accepting extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // a client never checks client certificates
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // no root certificate: libpq does not verify the server in this mode, neither does this
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // a client never checks client certificates
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // no root certificate: libpq does not verify the server in this mode, neither does this
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // a client never checks client certificates
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // no root certificate: libpq does not verify the server in this mode, neither does this
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The JDK's PKIX check against the given roots, then libpq's host name rules, with messages that say what to fix. */
    private static final class Verifying extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;
        private final boolean verifyHost;
        private final String source;

        Verifying(X509ExtendedTrustManager pkix, boolean verifyHost, String source) {
            this.pkix = pkix;
            this.verifyHost = verifyHost;
            this.source = source;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                pkix.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw untrusted(chain, e);
            }
            String host = socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
                    ? ssl.getHandshakeSession().getPeerHost() : null;
            checkHost(chain, host);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                pkix.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw untrusted(chain, e);
            }
            checkHost(chain, engine.getPeerHost());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                pkix.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw untrusted(chain, e);
            }
            checkHost(chain, null);
        }

        private void checkHost(X509Certificate[] chain, String host) throws CertificateException {
            if (!verifyHost) {
                return;
            }
            if (host == null) {
                throw new CertificateException("sslmode=verify-full, but the host name of the connection is not known");
            }
            String mismatch = HostnameMatch.mismatch(host, chain[0]);
            if (mismatch != null) {
                throw new CertificateException(mismatch);
            }
        }

        private CertificateException untrusted(X509Certificate[] chain, CertificateException e) {
            X509Certificate leaf = chain.length > 0 ? chain[0] : null;
            Throwable reason = e;
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof CertPathValidatorException) {
                    reason = c;
                }
            }
            String why = reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
            return new CertificateException("the server's certificate" + (leaf == null ? "" : " (subject "
                    + leaf.getSubjectX500Principal().getName() + ", issuer " + leaf.getIssuerX500Principal().getName()
                    + ")") + " is not trusted by " + source + ": " + why, e);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }

    // ---- the client key ----

    /**
     * Offers the one client key whenever the server asks for a certificate of its kind, whatever issuers the
     * server lists: OpenSSL (so libpq) sends the configured certificate the same way.
     */
    private static final class ClientKeyManager extends X509ExtendedKeyManager {
        private final TlsFiles.ClientKey clientKey;

        ClientKeyManager(TlsFiles.ClientKey clientKey) {
            this.clientKey = clientKey;
        }

        private String alias(String[] keyTypes) {
            String algorithm = clientKey.key().getAlgorithm();
            for (String type : keyTypes == null ? new String[0] : keyTypes) {
                if (type.equalsIgnoreCase(algorithm) || ("RSA".equals(algorithm) && "RSASSA-PSS".equals(type))
                        || (algorithm.toUpperCase(Locale.ROOT).startsWith("ED") && type.equalsIgnoreCase("EdDSA"))) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias(keyType);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias(keyType);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return alias(new String[] {keyType}) == null ? new String[0] : new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? clientKey.chain().toArray(new X509Certificate[0]) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? clientKey.key() : null;
        }
    }
}
