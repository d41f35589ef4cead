package db.core.tls;

import db.testkit.TlsFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key and certificate readers against files written by openssl, in every form it writes them. */
class TlsFilesTest {
    private static final String PW = TlsFixture.PASSWORD;

    @TempDir
    static Path dir;
    static TlsFixture tls;

    @BeforeAll
    static void keys() throws Exception {
        tls = new TlsFixture(dir);
        tls.certificate("client", "ca", "tlsuser", null, true);
        tls.certificate("ecclient", "ca", "tlsuser", null, false);
        String passout = "pass:" + PW;
        // RSA: PKCS#1, legacy encrypted PEM (AES-256 and 3DES), encrypted PKCS#8 (OpenSSL 3's default PBES2,
        // other PBES2 choices, PBES1), DER, scrypt (unreadable by the JDK), PKCS#12
        tls.openssl("rsa", "-in", "client.key", "-traditional", "-out", "pkcs1.pem");
        tls.openssl("rsa", "-in", "client.key", "-traditional", "-aes256", "-passout", passout, "-out", "legacy-aes.pem");
        tls.openssl("rsa", "-in", "client.key", "-traditional", "-des3", "-passout", passout, "-out", "legacy-3des.pem");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-passout", passout, "-out", "pbes2-default.pem");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1",
                "-passout", passout, "-out", "pbes2-aes128-sha1.pem");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-v2", "des3", "-v2prf", "hmacWithSHA512",
                "-passout", passout, "-out", "pbes2-3des-sha512.pem");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-v1", "PBE-SHA1-3DES", "-passout", passout,
                "-out", "pbes1.pem");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-nocrypt", "-outform", "DER", "-out", "plain.pk8");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-outform", "DER", "-passout", passout, "-out",
                "encrypted.pk8");
        tls.openssl("rsa", "-in", "client.key", "-traditional", "-outform", "DER", "-out", "pkcs1.der");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-scrypt", "-passout", passout, "-out", "scrypt.pem");
        tls.openssl("pkcs12", "-export", "-inkey", "client.key", "-in", "client.crt", "-passout", passout,
                "-out", "client.p12");
        // EC: SEC1 (with its EC PARAMETERS block first, as 'openssl ecparam -genkey' writes), encrypted SEC1
        tls.openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ecparam-genkey.pem");
        tls.openssl("ec", "-in", "ecclient.key", "-out", "sec1.pem");
        tls.openssl("ec", "-in", "ecclient.key", "-aes256", "-passout", passout, "-out", "sec1-aes.pem");
        tls.openssl("genpkey", "-algorithm", "ed25519", "-out", "ed25519.pem");
    }

    @ParameterizedTest
    @CsvSource({"client.key,false", "pkcs1.pem,false", "legacy-aes.pem,true", "legacy-3des.pem,true",
            "pbes2-default.pem,true", "pbes2-aes128-sha1.pem,true", "pbes2-3des-sha512.pem,true", "pbes1.pem,true",
            "plain.pk8,false", "encrypted.pk8,true", "pkcs1.der,false"})
    void everyFormOfAnRsaKeyReadsToTheSameKey(String file, boolean encrypted) throws Exception {
        PrivateKey key = TlsFiles.privateKey(tls.file(file), encrypted ? PW.toCharArray() : null);
        RSAPublicKey certKey = (RSAPublicKey) certificate("client.crt").getPublicKey();
        assertThat(key).isInstanceOf(RSAPrivateCrtKey.class);
        assertThat(((RSAPrivateCrtKey) key).getModulus()).isEqualTo(certKey.getModulus());
        // and it goes with its certificate
        assertThat(TlsFiles.clientKey(tls.file("client.crt"), tls.file(file), encrypted ? PW.toCharArray() : null)
                .chain()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"legacy-aes.pem", "legacy-3des.pem", "pbes2-default.pem", "pbes2-aes128-sha1.pem",
            "pbes2-3des-sha512.pem", "pbes1.pem", "encrypted.pk8", "sec1-aes.pem", "client.p12"})
    void aWrongPasswordSaysSoAndNeverQuotesIt(String file) {
        char[] wrong = "not-the-password".toCharArray();
        assertThatThrownBy(() -> {
            if (file.endsWith(".p12")) {
                TlsFiles.clientKey(null, tls.file(file), wrong);
            } else {
                TlsFiles.privateKey(tls.file(file), wrong);
            }
        }).isInstanceOf(TlsFileException.class)
                .hasMessageContaining(file).hasMessageContaining("sslpassword is wrong")
                .hasMessageNotContaining("not-the-password").hasMessageNotContaining(PW);
    }

    @ParameterizedTest
    @CsvSource({"legacy-aes.pem", "pbes2-default.pem", "encrypted.pk8", "sec1-aes.pem"})
    void anEncryptedKeyWithoutPasswordAsksForSslpassword(String file) {
        assertThatThrownBy(() -> TlsFiles.privateKey(tls.file(file), null)).isInstanceOf(TlsFileException.class)
                .hasMessageContaining(file).hasMessageContaining("encrypted; set sslpassword");
    }

    @ParameterizedTest
    @CsvSource({"sec1.pem,ecclient.crt", "sec1-aes.pem,ecclient.crt", "ecclient.key,ecclient.crt"})
    void ecKeysInSec1AndPkcs8(String file, String cert) throws Exception {
        char[] pw = file.contains("aes") ? PW.toCharArray() : null;
        assertThat(TlsFiles.privateKey(tls.file(file), pw)).isInstanceOf(ECPrivateKey.class);
        assertThat(TlsFiles.clientKey(tls.file(cert), tls.file(file), pw).key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void anEcParametersBlockBeforeTheKeyIsSkipped() throws Exception {
        assertThat(Files.readString(tls.file("ecparam-genkey.pem"))).contains("BEGIN EC PARAMETERS");
        assertThat(TlsFiles.privateKey(tls.file("ecparam-genkey.pem"), null)).isInstanceOf(ECPrivateKey.class);
    }

    @Test
    void ed25519() throws Exception {
        assertThat(TlsFiles.privateKey(tls.file("ed25519.pem"), null).getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void pkcs12HoldsKeyAndChain() throws Exception {
        TlsFiles.ClientKey k = TlsFiles.clientKey(tls.file("nowhere.crt"), tls.file("client.p12"), PW.toCharArray());
        assertThat(k.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=tlsuser");
        assertThat(k.toString()).doesNotContain(PW);
    }

    /**
     * A wrong password decrypts to garbage whose padding checks out once in 256 tries: that garbage is no key,
     * and the message must still blame the password. Built here (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, as
     * OpenSSL writes it) around a plaintext that is no PrivateKeyInfo.
     */
    @Test
    void garbageBehindValidPaddingStillBlamesThePassword() throws Exception {
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] iv = new byte[16];
        javax.crypto.SecretKey key = new javax.crypto.spec.SecretKeySpec(javax.crypto.SecretKeyFactory
                .getInstance("PBKDF2WithHmacSHA256").generateSecret(new javax.crypto.spec.PBEKeySpec(PW.toCharArray(),
                        salt, 2048, 256)).getEncoded(), "AES");
        javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(javax.crypto.Cipher.ENCRYPT_MODE, key, new javax.crypto.spec.IvParameterSpec(iv));
        byte[] encrypted = aes.doFinal("no PrivateKeyInfo here".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] der = Der.sequence(
                Der.sequence(Der.oid("1.2.840.113549.1.5.13"), Der.sequence(
                        Der.sequence(Der.oid("1.2.840.113549.1.5.12"), Der.sequence(Der.encode(Der.OCTET_STRING, salt),
                                Der.encode(Der.INTEGER, new byte[] {0x08, 0x00}),
                                Der.sequence(Der.oid("1.2.840.113549.2.9"), Der.encode(Der.NULL, new byte[0])))),
                        Der.sequence(Der.oid("2.16.840.1.101.3.4.1.42"), Der.encode(Der.OCTET_STRING, iv)))),
                Der.encode(Der.OCTET_STRING, encrypted));
        Path pem = tls.file("garbage-inside.pem");
        Files.writeString(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path pk8 = tls.file("garbage-inside.pk8");
        Files.write(pk8, der);
        for (Path file : List.of(pem, pk8)) {
            assertThatThrownBy(() -> TlsFiles.privateKey(file, PW.toCharArray())).isInstanceOf(TlsFileException.class)
                    .hasMessageContaining("sslpassword is wrong");
        }
    }

    @Test
    void derOidsRoundTrip() {
        for (String oid : List.of("1.2.840.113549.1.5.13", "2.16.840.1.101.3.4.1.42", "1.3.101.112", "2.5.4.3")) {
            assertThat(Der.parse(Der.oid(oid)).oid()).isEqualTo(oid);
        }
    }

    @Test
    void scryptIsRefusedWithTheCommandThatConvertsIt() {
        assertThatThrownBy(() -> TlsFiles.privateKey(tls.file("scrypt.pem"), PW.toCharArray()))
                .isInstanceOf(TlsFileException.class).hasMessageContaining("scrypt")
                .hasMessageContaining("openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + tls.file("scrypt.pem"));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> TlsFiles.clientKey(tls.file("ecclient.crt"), tls.file("client.key"), null))
                .isInstanceOf(TlsFileException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedAsLibpqRefusesIt() throws Exception {
        Path open = tls.file("group-readable.key");
        Files.copy(tls.file("client.key"), open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> TlsFiles.clientKey(tls.file("client.crt"), open, null))
                .isInstanceOf(TlsFileException.class)
                .hasMessageContaining("group-readable.key has group or world access (rw-r-----)")
                .hasMessageContaining("chmod 600 " + open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-------"));
        assertThat(TlsFiles.clientKey(tls.file("client.crt"), open, null).key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void missingAndGarbageFilesNameTheFile() throws Exception {
        assertThatThrownBy(() -> TlsFiles.privateKey(tls.file("absent.key"), null))
                .hasMessageContaining("absent.key does not exist");
        Path garbage = tls.file("garbage.key");
        Files.writeString(garbage, "this is no key\n");
        assertThatThrownBy(() -> TlsFiles.privateKey(garbage, null)).isInstanceOf(TlsFileException.class)
                .hasMessageContaining("garbage.key").hasMessageContaining("openssl pkcs8 -topk8");
        Path truncated = tls.file("truncated.pem");
        String pem = Files.readString(tls.file("client.key"));
        Files.writeString(truncated, pem.substring(0, pem.length() / 2) + "\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsFiles.privateKey(truncated, null)).isInstanceOf(TlsFileException.class)
                .hasMessageContaining("truncated.pem");
        assertThatThrownBy(() -> TlsFiles.certificates(garbage, "sslrootcert")).isInstanceOf(TlsFileException.class)
                .hasMessageContaining("sslrootcert file " + garbage);
    }

    @Test
    void aBundleOfCertificatesReadsEveryOne() throws Exception {
        Path bundle = tls.file("bundle.crt");
        Files.writeString(bundle, Files.readString(tls.file("ca.crt")) + Files.readString(tls.file("wrongca.crt")));
        List<X509Certificate> certs = TlsFiles.certificates(bundle, "sslrootcert");
        assertThat(certs).hasSize(2);
    }

    @Test
    void crls() throws Exception {
        assertThat(TlsFiles.crls(tls.crl("empty.crl"))).hasSize(1);
        assertThatThrownBy(() -> TlsFiles.crls(tls.file("ca.crt"))).isInstanceOf(TlsFileException.class);
    }

    private static X509Certificate certificate(String name) throws Exception {
        return TlsFiles.certificates(tls.file(name), "sslcert").get(0);
    }
}
