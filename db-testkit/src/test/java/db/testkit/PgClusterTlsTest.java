package db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS cluster, checked with plain pgjdbc (not Switchboard): TLS only, the certificate and SCRAM roles
 * log in their way, the server certificates verify as documented, the key files hold the same key in
 * each format, and everything is removed afterwards.
 */
class PgClusterTlsTest {

    private static TlsFiles files;
    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        files = TlsFiles.generate();
        cluster = PgCluster.builder().tls(files, TlsFiles.ServerName.LOCALHOST).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (files != null) {
            files.close();
        }
    }

    @Test
    void theAdministratorsConnectionIsVerifiedTls() throws SQLException {
        assertThat(cluster.tls()).hasValueSatisfying(t -> assertThat(t.server()).isEqualTo(TlsFiles.ServerName.LOCALHOST));
        try (Connection c = cluster.connect()) {
            assertThat(ssl(c)).isTrue();
        }
    }

    @Test
    void aConnectionWithoutTlsIsRejectedByHba() {
        Properties props = base(PgCluster.USER);
        props.setProperty("sslmode", "disable");
        assertThatThrownBy(() -> DriverManager.getConnection(url("127.0.0.1"), props).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no encryption");
    }

    @Test
    void theCertificateRoleLogsInWithItsCertificateAndVerifiesTheServerByNameAndAddress() throws SQLException {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            Properties props = base(TlsFiles.CERT_USER);
            props.setProperty("sslmode", "verify-full");
            props.setProperty("sslcert", files.clientCertificate().toString());
            // pgjdbc reads the DER .pk8 form on every JDK; the other forms are what the suite is about.
            props.setProperty("sslkey", files.clientKey(TlsFiles.KeyFormat.PKCS8_DER).toString());
            try (Connection c = DriverManager.getConnection(url(host), props)) {
                assertThat(ssl(c)).isTrue();
                assertThat(currentUser(c)).isEqualTo(TlsFiles.CERT_USER);
            }
        }
    }

    @Test
    void theCertificateRoleWithoutACertificateIsRefused() {
        Properties props = base(TlsFiles.CERT_USER);
        props.setProperty("sslmode", "verify-ca");
        props.setProperty("sslcert", files.directory().resolve("none.crt").toString());
        props.setProperty("sslkey", files.directory().resolve("none.pk8").toString());
        assertThatThrownBy(() -> DriverManager.getConnection(url("127.0.0.1"), props).close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void theScramRoleLogsInWithItsPasswordAndOnlyWithIt() throws SQLException {
        Properties props = base(TlsFiles.SCRAM_USER);
        props.setProperty("sslmode", "verify-full");
        props.setProperty("password", files.scramPassword());
        props.setProperty("channelBinding", "require");
        try (Connection c = DriverManager.getConnection(url("localhost"), props)) {
            assertThat(currentUser(c)).isEqualTo(TlsFiles.SCRAM_USER);
        }
        props.setProperty("password", "not-" + files.scramPassword());
        assertThatThrownBy(() -> DriverManager.getConnection(url("localhost"), props).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void theWrongCaAndTheWrongNameFailVerification() {
        Properties wrongCa = base(PgCluster.USER);
        wrongCa.setProperty("sslmode", "verify-ca");
        wrongCa.setProperty("sslrootcert", files.wrongCaCertificate().toString());
        assertThatThrownBy(() -> DriverManager.getConnection(url("127.0.0.1"), wrongCa).close())
                .isInstanceOf(SQLException.class);
        try (PgCluster wrongName = PgCluster.builder().tls(files, TlsFiles.ServerName.WRONG_NAME).start()) {
            Properties props = base(PgCluster.USER);
            props.setProperty("sslmode", "verify-full");
            String url = "jdbc:postgresql://localhost:" + wrongName.port() + "/test";
            assertThatThrownBy(() -> DriverManager.getConnection(url, props).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("hostname");
            assertThat(wrongName.answers()).isTrue(); // the admin's verify-ca passes: the CA is right
        }
    }

    @Test
    void theRevocationListsRevokeWhatTheySay() throws Exception {
        java.security.cert.CertificateFactory x509 = java.security.cert.CertificateFactory.getInstance("X.509");
        java.security.cert.Certificate server;
        try (var in = Files.newInputStream(files.serverCertificate(TlsFiles.ServerName.LOCALHOST))) {
            server = x509.generateCertificate(in);
        }
        try (var empty = Files.newInputStream(files.emptyCrl());
             var revoked = Files.newInputStream(files.serverRevokedCrl())) {
            assertThat(x509.generateCRL(empty).isRevoked(server)).isFalse();
            assertThat(x509.generateCRL(revoked).isRevoked(server)).isTrue();
        }
    }

    @Test
    void everyKeyFormatIsWrittenAsNamedAndNoPasswordIsShown() throws Exception {
        for (TlsFiles.KeyFormat format : TlsFiles.KeyFormat.values()) {
            Path key = files.clientKey(format);
            assertThat(key).exists().hasFileName(format.fileName());
            if (format == TlsFiles.KeyFormat.PKCS8_DER) {
                assertThat(Files.readAllBytes(key)[0]).isEqualTo((byte) 0x30); // a DER SEQUENCE
            } else {
                String text = Files.readString(key, StandardCharsets.US_ASCII);
                assertThat(text.contains("ENCRYPTED")).isEqualTo(format.encrypted());
            }
        }
        assertThat(files.keyPassword()).isNotEqualTo(files.scramPassword());
        assertThat(files.toString()).doesNotContain(files.keyPassword()).doesNotContain(files.scramPassword());
        assertThat(cluster.toString()).contains("TLS LOCALHOST").doesNotContain(files.scramPassword());
    }

    @Test
    void closeRemovesTheFiles() {
        TlsFiles other = TlsFiles.generate();
        Path dir = other.directory();
        assertThat(other.caCertificate()).exists();
        other.close();
        assertThat(dir).doesNotExist();
        other.close(); // idempotent
    }

    private static Properties base(String user) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("connectTimeout", "5");
        props.setProperty("sslrootcert", files.caCertificate().toString());
        return props;
    }

    private static String url(String host) {
        return "jdbc:postgresql://" + host + ":" + cluster.port() + "/test";
    }

    private static boolean ssl(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
