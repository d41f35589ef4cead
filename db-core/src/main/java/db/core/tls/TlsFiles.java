package db.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the files libpq reads for TLS, with the JDK only: certificates and revocation lists (PEM, several
 * in one file, or DER), and client keys in every form OpenSSL writes them: PEM PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PEM PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), PEM SEC1
 * ({@code BEGIN EC PRIVATE KEY}), encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}: PBES2 with PBKDF2
 * and AES or 3DES, as OpenSSL 3 writes by default, decoded here because JDK 17 cannot; the older PBES1
 * schemes through the JDK), legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED} with {@code DEK-Info},
 * OpenSSL's {@code EVP_BytesToKey} with MD5), DER PKCS#8 ({@code .pk8}, plain or encrypted) and PKCS#12
 * ({@code .p12}, {@code .pfx}). Every failure is a {@link TlsFileException} that names the file and says
 * what to do; none quotes a password.
 */
public final class TlsFiles {

    /** A client key with the certificate chain it goes with. */
    public record ClientKey(PrivateKey key, List<X509Certificate> chain) {
        /** The key and its chain; the chain's first certificate is the client's own. */
        public ClientKey {
            chain = List.copyOf(chain);
        }

        @Override
        public String toString() {
            return "ClientKey[" + key.getAlgorithm() + ", "
                    + (chain.isEmpty() ? "no certificate" : chain.get(0).getSubjectX500Principal().getName()) + "]";
        }
    }

    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String EC = "1.2.840.10045.2.1";
    private static final String PBES2 = "1.2.840.113549.1.5.13";
    private static final String PBKDF2 = "1.2.840.113549.1.5.12";
    private static final String SCRYPT = "1.3.6.1.4.1.11591.4.11";
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(RSA, "RSA", "1.2.840.113549.1.1.10",
            "RSASSA-PSS", EC, "EC", "1.3.101.112", "Ed25519", "1.3.101.113", "Ed448", "1.2.840.10040.4.1", "DSA");
    private static final Map<String, String> PRFS = Map.of("1.2.840.113549.2.7", "PBKDF2WithHmacSHA1",
            "1.2.840.113549.2.8", "PBKDF2WithHmacSHA224", "1.2.840.113549.2.9", "PBKDF2WithHmacSHA256",
            "1.2.840.113549.2.10", "PBKDF2WithHmacSHA384", "1.2.840.113549.2.11", "PBKDF2WithHmacSHA512");
    /** A block cipher in CBC mode: its JCE name, key and IV lengths in bytes. */
    private record Cbc(String algorithm, int keyBytes, int ivBytes) {
    }

    /** PBES2 encryption schemes by OID. */
    private static final Map<String, Cbc> PBES2_CIPHERS = Map.of(
            "2.16.840.1.101.3.4.1.2", new Cbc("AES", 16, 16),
            "2.16.840.1.101.3.4.1.22", new Cbc("AES", 24, 16),
            "2.16.840.1.101.3.4.1.42", new Cbc("AES", 32, 16),
            "1.2.840.113549.3.7", new Cbc("DESede", 24, 8));
    /** Legacy PEM (DEK-Info) ciphers by OpenSSL's name. */
    private static final Map<String, Cbc> PEM_CIPHERS = Map.of(
            "AES-128-CBC", new Cbc("AES", 16, 16),
            "AES-192-CBC", new Cbc("AES", 24, 16),
            "AES-256-CBC", new Cbc("AES", 32, 16),
            "DES-EDE3-CBC", new Cbc("DESede", 24, 8),
            "DES-CBC", new Cbc("DES", 8, 8));

    private TlsFiles() {
    }

    /** The command that rewrites a key file in a form the JDK reads, for messages. */
    static String conversionHint(Path file) {
        return "convert it with 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + file + " -out " + file
                + ".pk8' (or '-nocrypt' instead of '-v2 aes-256-cbc' for an unencrypted key) and point sslkey at the "
                + "result";
    }

    // ---- certificates and revocation lists ----

    /** Every certificate in {@code file} (PEM blocks or DER); at least one. */
    public static List<X509Certificate> certificates(Path file, String what) throws TlsFileException {
        byte[] bytes = read(file, what);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new TlsFileException(what + " file " + file + " holds no certificate (expected PEM blocks "
                        + "'-----BEGIN CERTIFICATE-----' or DER)");
            }
            return List.copyOf(out);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(what + " file " + file + " is not a certificate file (PEM or DER X.509): "
                    + e.getMessage(), e);
        }
    }

    /** Every revocation list in {@code file} (PEM blocks or DER); at least one. */
    public static List<X509CRL> crls(Path file) throws TlsFileException {
        byte[] bytes = read(file, "sslcrl");
        try {
            java.util.Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(bytes));
            List<X509CRL> out = new ArrayList<>();
            for (CRL c : crls) {
                out.add((X509CRL) c);
            }
            if (out.isEmpty()) {
                throw new TlsFileException("sslcrl file " + file + " holds no revocation list (expected PEM blocks "
                        + "'-----BEGIN X509 CRL-----' or DER)");
            }
            return List.copyOf(out);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("sslcrl file " + file + " is not a certificate revocation list: "
                    + e.getMessage(), e);
        }
    }

    // ---- client keys ----

    /**
     * The client key and certificate chain: {@code keyFile} as PKCS#12 when it ends in {@code .p12} or
     * {@code .pfx} (the chain then comes from it, as pgjdbc does), else the key from {@code keyFile} and the
     * chain from {@code certFile}; the key must belong to the chain's first certificate.
     *
     * @param password the key's password, or null when none is given
     */
    public static ClientKey clientKey(Path certFile, Path keyFile, char[] password) throws TlsFileException {
        String name = keyFile.getFileName() == null ? "" : keyFile.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            requirePrivate(keyFile);
            return pkcs12(keyFile, password);
        }
        List<X509Certificate> chain = certificates(certFile, "sslcert");
        requirePrivate(keyFile);
        PrivateKey key = privateKey(keyFile, password);
        checkPair(key, chain.get(0), certFile, keyFile);
        return new ClientKey(key, chain);
    }

    /**
     * libpq's rule for the client key file (fe-secure-openssl.c), so that Switchboard never uses a key libpq
     * would refuse: a regular file, with no group or world access when the current user owns it, and at most
     * group read when root owns it. Skipped where the file system has no POSIX permissions.
     */
    static void requirePrivate(Path file) throws TlsFileException {
        PosixFileAttributes attributes;
        int owner;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
            owner = (Integer) Files.getAttribute(file, "unix:uid");
        } catch (NoSuchFileException e) {
            return; // reading it says so, as for every other file
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return; // not a POSIX file system (Windows): libpq does not check there either
        } catch (IOException | SecurityException e) {
            throw new TlsFileException("sslkey file " + file + " cannot be read: " + e, e);
        }
        if (!attributes.isRegularFile()) {
            throw new TlsFileException("sslkey file " + file + " is not a regular file");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean groupOrWorld = permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_")
                || p.name().startsWith("OTHERS_"));
        boolean beyondGroupRead = permissions.stream().anyMatch(p -> p.name().startsWith("OTHERS_")
                || p == PosixFilePermission.GROUP_WRITE || p == PosixFilePermission.GROUP_EXECUTE);
        if (owner == currentUid() ? groupOrWorld : owner == 0 && beyondGroupRead) {
            throw new TlsFileException("sslkey file " + file + " has group or world access ("
                    + PosixFilePermissions.toString(permissions) + "); as libpq, Switchboard needs permissions u=rw "
                    + "(0600) or less if the current user owns it, or u=rw,g=r (0640) or less if root owns it: "
                    + "chmod 600 " + file);
        }
    }

    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1; // unknown: only the rule for files owned by root applies
        }
    }

    private static ClientKey pkcs12(Path file, char[] password) throws TlsFileException {
        byte[] bytes = read(file, "sslkey");
        char[] pw = password == null ? new char[0] : password;
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(new ByteArrayInputStream(bytes), pw);
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException || e.getCause() instanceof BadPaddingException) {
                    throw new TlsFileException("sslkey file " + file + " (PKCS#12): "
                            + (password == null ? "it is protected by a password; set sslpassword"
                            : "the sslpassword is wrong"), e);
                }
                throw new TlsFileException("sslkey file " + file + " is not a PKCS#12 file the JDK can read: "
                        + e.getMessage(), e);
            }
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, pw);
                    List<X509Certificate> chain = new ArrayList<>();
                    Certificate[] certs = store.getCertificateChain(alias);
                    for (Certificate c : certs == null ? new Certificate[0] : certs) {
                        chain.add((X509Certificate) c);
                    }
                    if (chain.isEmpty()) {
                        throw new TlsFileException("sslkey file " + file + " (PKCS#12) holds a key without its "
                                + "certificate");
                    }
                    return new ClientKey(key, chain);
                }
            }
            throw new TlsFileException("sslkey file " + file + " (PKCS#12) holds no private key");
        } catch (UnrecoverableKeyException e) {
            throw new TlsFileException("sslkey file " + file + " (PKCS#12): the sslpassword is wrong for its key", e);
        } catch (GeneralSecurityException e) {
            if (e instanceof TlsFileException tlsFailure) {
                throw tlsFailure;
            }
            throw new TlsFileException("sslkey file " + file + " (PKCS#12) cannot be read: " + e.getMessage(), e);
        }
    }

    /** The private key in {@code file}, in any of the forms this class reads. */
    public static PrivateKey privateKey(Path file, char[] password) throws TlsFileException {
        byte[] bytes = read(file, "sslkey");
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.strip().startsWith("-----BEGIN")) {
            return pemKey(file, text, password);
        }
        return derKey(file, bytes, password);
    }

    private static PrivateKey pemKey(Path file, String text, char[] password) throws TlsFileException {
        Pem block = Pem.keyBlock(file, text);
        byte[] der = block.body;
        if (block.dekInfo != null) {
            der = decryptLegacyPem(file, block.dekInfo, der, password);
        }
        try {
            return switch (block.label) {
                case "PRIVATE KEY" -> pkcs8(file, der);
                case "ENCRYPTED PRIVATE KEY" -> pkcs8(file, decryptPkcs8(file, der, password));
                case "RSA PRIVATE KEY" -> pkcs8(file, wrapPkcs1(der));
                case "EC PRIVATE KEY" -> pkcs8(file, wrapSec1(file, der));
                default -> throw new TlsFileException("sslkey file " + file + " holds a '" + block.label
                        + "' block, which the JDK cannot read; " + conversionHint(file));
            };
        } catch (IllegalArgumentException e) {
            // after a decryption with a wrong password, the padding may still check out (1 in 256): what
            // follows is no key, and the password is the likely cause
            throw unreadable(file, block.dekInfo != null || block.label.equals("ENCRYPTED PRIVATE KEY"), e);
        }
    }

    private static TlsFileException unreadable(Path file, boolean encrypted, Exception e) {
        return new TlsFileException("sslkey file " + file + (encrypted
                ? " cannot be decrypted: the sslpassword is wrong or the file is corrupt"
                : " is corrupt or not a private key (" + e.getMessage() + "); " + conversionHint(file)), e);
    }

    private static PrivateKey derKey(Path file, byte[] der, char[] password) throws TlsFileException {
        List<Der.Element> top;
        try {
            top = Der.parse(der).sequence();
        } catch (IllegalArgumentException e) {
            throw new TlsFileException("sslkey file " + file + " is neither PEM ('-----BEGIN ... PRIVATE KEY-----') "
                    + "nor a DER key (" + e.getMessage() + "); " + conversionHint(file), e);
        }
        try {
            if (top.size() == 2 && top.get(0).tag() == Der.SEQUENCE) {
                try {
                    return pkcs8(file, decryptPkcs8(file, der, password));
                } catch (IllegalArgumentException e) {
                    throw unreadable(file, true, e);
                }
            }
            if (top.size() >= 3 && top.get(0).tag() == Der.INTEGER && top.get(1).tag() == Der.SEQUENCE) {
                return pkcs8(file, der);
            }
            if (top.size() >= 9 && top.get(1).tag() == Der.INTEGER) {
                return pkcs8(file, wrapPkcs1(der));
            }
            if (top.size() >= 2 && top.get(0).tag() == Der.INTEGER && top.get(1).tag() == Der.OCTET_STRING) {
                return pkcs8(file, wrapSec1(file, der));
            }
        } catch (IllegalArgumentException e) {
            throw unreadable(file, false, e);
        }
        throw new TlsFileException("sslkey file " + file + " is a DER structure that is not a private key; "
                + conversionHint(file));
    }

    /** A PKCS#8 PrivateKeyInfo to a key, by the algorithm it names. */
    private static PrivateKey pkcs8(Path file, byte[] der) throws TlsFileException {
        List<Der.Element> info = Der.parse(der).sequence();
        if (info.size() < 3) {
            throw new IllegalArgumentException("a PrivateKeyInfo has at least three fields");
        }
        String oid = info.get(1).sequence().get(0).oid();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new TlsFileException("sslkey file " + file + " holds a key of algorithm " + oid + ", which the JDK "
                    + "cannot use for TLS client authentication; use an RSA, EC or Ed25519 key");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("sslkey file " + file + ": the JDK cannot read its " + algorithm + " key ("
                    + e.getMessage() + "); " + conversionHint(file), e);
        }
    }

    /** A PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        List<Der.Element> fields = Der.parse(pkcs1).sequence();
        if (fields.size() < 9) {
            throw new IllegalArgumentException("an RSAPrivateKey has nine fields");
        }
        for (Der.Element field : fields) {
            field.integer(); // all fields are integers; fails on anything else
        }
        return Der.sequence(Der.encode(Der.INTEGER, new byte[] {0}),
                Der.sequence(Der.oid(RSA), Der.encode(Der.NULL, new byte[0])),
                Der.encode(Der.OCTET_STRING, pkcs1));
    }

    /** A SEC1 ECPrivateKey inside a PKCS#8 PrivateKeyInfo, with the named curve it carries. */
    static byte[] wrapSec1(Path file, byte[] sec1) throws TlsFileException {
        List<Der.Element> fields = Der.parse(sec1).sequence();
        if (fields.size() < 2 || !fields.get(0).integer().equals(java.math.BigInteger.ONE)) {
            throw new IllegalArgumentException("an ECPrivateKey starts with version 1 and the key");
        }
        fields.get(1).octets();
        String curve = null;
        for (Der.Element field : fields) {
            if (field.tag() == Der.CONTEXT_0) {
                List<Der.Element> parameters = field.children();
                if (parameters.size() == 1 && parameters.get(0).tag() == Der.OID) {
                    curve = parameters.get(0).oid();
                }
            }
        }
        if (curve == null) {
            throw new TlsFileException("sslkey file " + file + " holds an EC key without a named curve (explicit "
                    + "curve parameters); " + conversionHint(file));
        }
        return Der.sequence(Der.encode(Der.INTEGER, new byte[] {0}), Der.sequence(Der.oid(EC), Der.oid(curve)),
                Der.encode(Der.OCTET_STRING, sec1));
    }

    /** An EncryptedPrivateKeyInfo to the PrivateKeyInfo inside it. */
    private static byte[] decryptPkcs8(Path file, byte[] der, char[] password) throws TlsFileException {
        if (password == null) {
            throw new TlsFileException("sslkey file " + file + " is encrypted; set sslpassword to its password");
        }
        List<Der.Element> top = Der.parse(der).sequence();
        List<Der.Element> algorithm = top.get(0).sequence();
        String scheme = algorithm.get(0).oid();
        byte[] encrypted = top.get(1).octets();
        if (!PBES2.equals(scheme)) {
            return decryptWithJdk(file, der, password);
        }
        List<Der.Element> params = algorithm.get(1).sequence();
        List<Der.Element> kdf = params.get(0).sequence();
        List<Der.Element> cipherId = params.get(1).sequence();
        String kdfOid = kdf.get(0).oid();
        if (SCRYPT.equals(kdfOid)) {
            throw new TlsFileException("sslkey file " + file + " is encrypted with scrypt, which the JDK cannot "
                    + "derive keys with; " + conversionHint(file));
        }
        if (!PBKDF2.equals(kdfOid)) {
            throw new TlsFileException("sslkey file " + file + " uses key derivation " + kdfOid + ", which is not "
                    + "PBKDF2; " + conversionHint(file));
        }
        List<Der.Element> pbkdf2 = kdf.get(1).sequence();
        byte[] salt = pbkdf2.get(0).octets();
        int iterations = pbkdf2.get(1).integer().intValueExact();
        String prf = "PBKDF2WithHmacSHA1";
        for (int i = 2; i < pbkdf2.size(); i++) {
            if (pbkdf2.get(i).tag() == Der.SEQUENCE) {
                String prfOid = pbkdf2.get(i).sequence().get(0).oid();
                prf = PRFS.get(prfOid);
                if (prf == null) {
                    throw new TlsFileException("sslkey file " + file + " uses PBKDF2 with PRF " + prfOid + ", which "
                            + "the JDK does not have; " + conversionHint(file));
                }
            }
        }
        String cipherOid = cipherId.get(0).oid();
        Cbc cipher = PBES2_CIPHERS.get(cipherOid);
        if (cipher == null) {
            throw new TlsFileException("sslkey file " + file + " is encrypted with cipher " + cipherOid + ", which "
                    + "Switchboard does not decrypt (AES-CBC and 3DES-CBC are read); " + conversionHint(file));
        }
        byte[] iv = cipherId.get(1).octets();
        if (iv.length != cipher.ivBytes()) {
            throw new IllegalArgumentException("the IV has " + iv.length + " bytes, not " + cipher.ivBytes());
        }
        if (iterations <= 0 || iterations > 10_000_000) {
            throw new IllegalArgumentException("PBKDF2 iteration count out of range: " + iterations);
        }
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 8 * cipher.keyBytes());
            byte[] key;
            try {
                key = SecretKeyFactory.getInstance(prf).generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
            return decryptCbc(cipher.algorithm(), key, iv, encrypted);
        } catch (BadPaddingException e) {
            throw wrongPassword(file, e);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("sslkey file " + file + " cannot be decrypted (" + e.getMessage() + "); "
                    + conversionHint(file), e);
        }
    }

    private static TlsFileException wrongPassword(Path file, Exception e) {
        return new TlsFileException("sslkey file " + file + " cannot be decrypted: the sslpassword is wrong", e);
    }

    /** The PBES1 and PKCS#12 schemes the JDK decrypts itself. */
    private static byte[] decryptWithJdk(Path file, byte[] der, char[] password) throws TlsFileException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            SecretKeyFactory factory = SecretKeyFactory.getInstance(info.getAlgName());
            PBEKeySpec spec = new PBEKeySpec(password);
            try {
                Cipher cipher = Cipher.getInstance(info.getAlgName());
                cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(spec), info.getAlgParameters());
                return info.getKeySpec(cipher).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (java.security.spec.InvalidKeySpecException e) {
            // the JDK reports a wrong password as an invalid key spec (the decrypted bytes are no key)
            throw wrongPassword(file, e);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsFileException("sslkey file " + file + " is encrypted in a way the JDK cannot read ("
                    + e.getMessage() + "); " + conversionHint(file), e);
        }
    }

    /** OpenSSL's traditional PEM encryption: key from EVP_BytesToKey(MD5, password, first 8 IV bytes, 1). */
    private static byte[] decryptLegacyPem(Path file, String dekInfo, byte[] encrypted, char[] password)
            throws TlsFileException {
        if (password == null) {
            throw new TlsFileException("sslkey file " + file + " is encrypted; set sslpassword to its password");
        }
        String[] parts = dekInfo.split(",", 2);
        Cbc cipher = PEM_CIPHERS.get(parts[0].trim().toUpperCase(Locale.ROOT));
        if (cipher == null || parts.length < 2) {
            throw new TlsFileException("sslkey file " + file + " is encrypted with " + parts[0].trim() + ", which "
                    + "Switchboard does not decrypt (AES-CBC and DES-EDE3-CBC are read); " + conversionHint(file));
        }
        byte[] iv = hex(file, parts[1].trim());
        if (iv.length != cipher.ivBytes()) {
            throw new TlsFileException("sslkey file " + file + ": the DEK-Info IV has the wrong length");
        }
        byte[] pw = utf8(password);
        byte[] key = new byte[cipher.keyBytes()];
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] previous = new byte[0];
            int filled = 0;
            while (filled < key.length) {
                md5.update(previous);
                md5.update(pw);
                md5.update(iv, 0, 8);
                previous = md5.digest();
                int n = Math.min(previous.length, key.length - filled);
                System.arraycopy(previous, 0, key, filled, n);
                filled += n;
            }
            return decryptCbc(cipher.algorithm(), key, iv, encrypted);
        } catch (BadPaddingException e) {
            throw wrongPassword(file, e);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("sslkey file " + file + " cannot be decrypted (" + e.getMessage() + ")", e);
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] decryptCbc(String algorithm, byte[] key, byte[] iv, byte[] encrypted)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(algorithm + "/CBC/PKCS5Padding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, algorithm), new IvParameterSpec(iv));
        return c.doFinal(encrypted);
    }

    private static byte[] utf8(char[] password) {
        java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        b.clear();
        b.put(new byte[b.capacity()]); // wipes the encoder's copy of the password, through the buffer
        return out;
    }

    private static byte[] hex(Path file, String hex) throws TlsFileException {
        if (hex.length() % 2 != 0 || !hex.matches("[0-9A-Fa-f]+")) {
            throw new TlsFileException("sslkey file " + file + ": the DEK-Info IV is not hexadecimal");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** libpq checks that the key belongs to the certificate (SSL_CTX_check_private_key); so does this. */
    private static void checkPair(PrivateKey key, X509Certificate cert, Path certFile, Path keyFile)
            throws TlsFileException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return; // RSASSA-PSS needs parameters; the handshake will tell
        }
        PublicKey publicKey = cert.getPublicKey();
        boolean matches;
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsFileException("sslkey file " + keyFile + " does not belong to the certificate in sslcert file "
                    + certFile + " (subject " + cert.getSubjectX500Principal().getName() + ")");
        }
    }

    private static byte[] read(Path file, String what) throws TlsFileException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(what + " file " + file + " does not exist");
        } catch (IOException | SecurityException e) {
            throw new TlsFileException(what + " file " + file + " cannot be read: " + e, e);
        }
    }

    /** One PEM block: label, optional legacy encryption header, base64-decoded body. */
    private static final class Pem {
        private static final List<String> KEY_LABELS = List.of("PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
                "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY");

        final String label;
        final String dekInfo;
        final byte[] body;

        private Pem(String label, String dekInfo, byte[] body) {
            this.label = label;
            this.dekInfo = dekInfo;
            this.body = body;
        }

        /** The first key block in {@code text} (an {@code EC PARAMETERS} block before it is skipped). */
        static Pem keyBlock(Path file, String text) throws TlsFileException {
            List<String> seen = new ArrayList<>();
            int from = 0;
            while (true) {
                int begin = text.indexOf("-----BEGIN ", from);
                if (begin < 0) {
                    throw new TlsFileException("sslkey file " + file + " holds no private key block"
                            + (seen.isEmpty() ? "" : " (found " + String.join(", ", seen) + ")")
                            + "; expected '-----BEGIN PRIVATE KEY-----' or another PEM private key");
                }
                int labelEnd = text.indexOf("-----", begin + 11);
                if (labelEnd < 0) {
                    throw new TlsFileException("sslkey file " + file + " has a broken PEM header");
                }
                String label = text.substring(begin + 11, labelEnd);
                String endMarker = "-----END " + label + "-----";
                int end = text.indexOf(endMarker, labelEnd);
                if (end < 0) {
                    throw new TlsFileException("sslkey file " + file + ": the PEM block '" + label + "' has no end line");
                }
                if (!KEY_LABELS.contains(label)) {
                    seen.add("'" + label + "'");
                    from = end + endMarker.length();
                    continue;
                }
                if (label.equals("OPENSSH PRIVATE KEY") || label.equals("DSA PRIVATE KEY")) {
                    throw new TlsFileException("sslkey file " + file + " holds an '" + label + "' block, which the "
                            + "JDK cannot read; " + conversionHint(file));
                }
                return parse(file, label, text.substring(labelEnd + 5, end));
            }
        }

        private static Pem parse(Path file, String label, String inner) throws TlsFileException {
            Map<String, String> headers = new HashMap<>();
            StringBuilder base64 = new StringBuilder();
            for (String line : inner.split("\r?\n|\r", -1)) {
                String l = line.strip();
                int colon = l.indexOf(':');
                if (colon > 0 && base64.length() == 0) {
                    headers.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
                } else {
                    base64.append(l);
                }
            }
            String dekInfo = null;
            if (headers.getOrDefault("Proc-Type", "").contains("ENCRYPTED")) {
                dekInfo = headers.get("DEK-Info");
                if (dekInfo == null) {
                    throw new TlsFileException("sslkey file " + file + " is an encrypted PEM without DEK-Info");
                }
            }
            try {
                return new Pem(label, dekInfo, Base64.getMimeDecoder().decode(base64.toString()));
            } catch (IllegalArgumentException e) {
                throw new TlsFileException("sslkey file " + file + ": the PEM block '" + label + "' is not valid "
                        + "base64", e);
            }
        }
    }
}
