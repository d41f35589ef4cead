package db.core.tls;

import db.testkit.TlsFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.DbConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libpq's TLS rules as DbConfig applies them: never weaker than libpq 16+, every file problem found when
 * the configuration is built, listed together, and no password in any message.
 */
class TlsSettingsTest {
    @TempDir
    static Path dir;
    static TlsFixture tls;

    @BeforeAll
    static void files() throws Exception {
        tls = new TlsFixture(dir);
        tls.certificate("client", "ca", "tlsuser", null, false);
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-passout", "pass:" + TlsFixture.PASSWORD,
                "-out", "client-enc.pem");
        tls.openssl("pkcs8", "-topk8", "-in", "client.key", "-scrypt", "-passout", "pass:" + TlsFixture.PASSWORD,
                "-out", "client-scrypt.pem");
        tls.crl("ca.crl");
    }

    private static Map<String, String> driver(String url) {
        return DbConfig.builder().url(url).build().urlParameters();
    }

    private static List<String> problems(String url) {
        try {
            DbConfig c = DbConfig.builder().url(url).build();
            throw new AssertionError("accepted: " + c);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain(TlsFixture.PASSWORD);
            return e.problems();
        }
    }

    private static String ca() {
        return tls.file("ca.crt").toString();
    }

    @Test
    void systemRootsMeanVerifyFullWithSwitchboardsFactory() {
        for (String url : List.of("postgresql://h/db?sslrootcert=system", "host=h dbname=db sslrootcert=system",
                "jdbc:postgresql://h/db?sslrootcert=system", "postgresql://h/db?sslrootcert=system&sslmode=verify-full")) {
            assertThat(driver(url)).as(url).containsEntry("sslmode", "verify-full")
                    .containsEntry("sslfactory", TlsSettings.FACTORY)
                    .containsEntry("sslhostnameverifier", TlsSettings.VERIFIER);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"disable", "allow", "prefer", "require", "verify-ca"})
    void systemRootsWithAWeakerModeAreRefusedAsLibpq16Does(String mode) {
        assertThat(problems("postgresql://h/db?sslrootcert=system&sslmode=" + mode)).singleElement().asString()
                .contains("sslrootcert=system needs sslmode=verify-full, but sslmode is " + mode);
    }

    @Test
    void requireWithARootCertificateVerifiesTheCa() {
        assertThat(driver("postgresql://h/db?sslmode=require&sslrootcert=" + ca())).containsEntry("sslmode", "verify-ca")
                .containsEntry("sslfactory", TlsSettings.FACTORY).doesNotContainKey("sslhostnameverifier");
    }

    @Test
    void verifyingModesWithoutAnyRootCertificateAreRefused() {
        assertThat(problems("postgresql://h/db?sslmode=verify-full")).singleElement().asString()
                .contains("sslmode=verify-full needs a root certificate").contains("sslrootcert=system");
    }

    @Test
    void disableUsesNoFactory() {
        assertThat(driver("postgresql://h/db?sslmode=disable")).doesNotContainKey("sslfactory");
        assertThat(driver("postgresql://h/db")).containsEntry("sslfactory", TlsSettings.FACTORY);
    }

    @Test
    void everyMissingFileIsListedAtBuild() {
        List<String> problems = problems("postgresql://h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt"
                + "&sslcrl=/nonexistent/ca.crl&sslcert=/nonexistent/c.crt&sslkey=/nonexistent/c.key");
        assertThat(problems).hasSize(3);
        assertThat(String.join("\n", problems)).contains("sslrootcert file /nonexistent/ca.crt does not exist")
                .contains("sslcrl file /nonexistent/ca.crl does not exist")
                .contains("sslcert file /nonexistent/c.crt does not exist");
    }

    @Test
    void aWrongKeyPasswordIsFoundAtBuildAndNotQuoted() {
        String url = "postgresql://h/db?sslmode=verify-full&sslrootcert=" + ca() + "&sslcert=" + tls.file("client.crt")
                + "&sslkey=" + tls.file("client-enc.pem") + "&sslpassword=wrong" + TlsFixture.PASSWORD;
        assertThat(problems(url)).singleElement().asString().contains("sslpassword is wrong")
                .doesNotContain("wrong" + TlsFixture.PASSWORD);
        String right = url.replace("sslpassword=wrong", "sslpassword=");
        DbConfig config = DbConfig.builder().url(right).build();
        assertThat(config.toString()).doesNotContain(TlsFixture.PASSWORD);
        assertThat(config.urlParameters()).containsEntry("sslkey", tls.file("client-enc.pem").toString());
    }

    @Test
    void aKeyTheJdkCannotReadNamesTheConversionCommand() {
        String url = "postgresql://h/db?sslcert=" + tls.file("client.crt") + "&sslkey=" + tls.file("client-scrypt.pem")
                + "&sslpassword=" + TlsFixture.PASSWORD;
        assertThat(problems(url)).singleElement().asString().contains("openssl pkcs8 -topk8 -v2 aes-256-cbc");
    }

    @Test
    void sslcrlGoesToTheFactory() {
        assertThat(driver("postgresql://h/db?sslmode=verify-ca&sslrootcert=" + ca() + "&sslcrl=" + tls.file("ca.crl")))
                .containsEntry(TlsSettings.CRL_PROPERTY, tls.file("ca.crl").toString());
    }

    @Test
    void pgjdbcsNonValidatingFactoryCannotGoWithAVerifyingMode() {
        assertThat(problems("postgresql://h/db?sslmode=verify-ca&sslfactory=org.postgresql.ssl.NonValidatingFactory"))
                .singleElement().asString().contains("does not verify the server");
    }

    @Test
    void libpqsDefaultFilesAreUsedWhenPresent() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/.postgresql"));
        Map<String, String> require = new HashMap<>(Map.of("sslmode", "require"));
        TlsSettings none = TlsSettings.of(require, home);
        assertThat(none.verifyCa()).isFalse();
        assertThat(none.clientCertificate()).isFalse();

        Files.copy(tls.file("ca.crt"), home.resolve("root.crt"));
        Files.copy(tls.file("ca.crl"), home.resolve("root.crl"));
        Files.copy(tls.file("client.crt"), home.resolve("postgresql.crt"));
        TlsSettings keyMissing;
        try {
            keyMissing = TlsSettings.of(require, home);
            throw new AssertionError("accepted a certificate without key: " + keyMissing);
        } catch (TlsFileException e) {
            assertThat(e.getMessage()).contains("has no private key").contains("postgresql.key");
        }
        Files.copy(tls.file("client.key"), home.resolve("postgresql.key"));
        TlsSettings all = TlsSettings.of(require, home);
        assertThat(all.mode()).isEqualTo("verify-ca");
        assertThat(all.verifyCa()).isTrue();
        assertThat(all.rootCert()).isEqualTo(home.resolve("root.crt"));
        assertThat(all.crl()).isEqualTo(home.resolve("root.crl"));
        assertThat(all.cert()).isEqualTo(home.resolve("postgresql.crt"));
        assertThat(all.key()).isEqualTo(home.resolve("postgresql.key"));
        assertThat(TlsFiles.clientKey(all.cert(), all.key(), null).chain()).hasSize(1);

        Files.move(home.resolve("postgresql.key"), home.resolve("postgresql.pk8"));
        assertThat(TlsSettings.of(require, home).key()).isEqualTo(home.resolve("postgresql.pk8"));
        assertThatThrownBy(() -> TlsSettings.of(Map.of("sslmode", "require", "sslrootcert", "system"), home))
                .hasMessageContaining("sslrootcert=system needs sslmode=verify-full");
    }
}
