package db.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libpq's precedence (explicit keys, the URL, the service file, the PG* variables, the defaults), the
 * connection service file and the password file, through the environment seam of
 * {@link DbConfig#fromEnvironment(Map, Properties)} (never the process environment). HOME always points at a
 * temporary directory, so the machine's own ~/.pgpass or ~/.pg_service.conf cannot change an outcome.
 */
class LibpqSourcesTest {
    private static final String SECRET = "pgpass-S3cret";

    @TempDir
    Path home;

    /** A real root certificate (made with the JDK's keytool): TLS settings name files that exist. */
    private static Path rootCertificate;

    @BeforeAll
    static void makeRootCertificate(@TempDir Path dir) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("ca.p12");
        rootCertificate = dir.resolve("root.pem");
        run(keytool.toString(), "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=libpq-sources-test-ca", "-validity", "2", "-ext", "bc:c", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(),
                "-storepass", "changeit", "-file", rootCertificate.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private DbConfig config(Map<String, String> env) {
        return DbConfig.fromEnvironment(env, new Properties());
    }

    private Path write(String name, String text, String permissions) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    // ---- the PG* variables beneath a URL ----

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://db.example/app", "postgresql://db.example/app",
            "host=db.example dbname=app"})
    void pgVariablesFillWhatAnyUrlFormLeavesUnset(String url) {
        DbConfig c = config(env("DB_URL", url, "PGSSLMODE", "verify-full", "PGSSLROOTCERT", rootCertificate.toString(),
                "PGPORT", "6432", "PGUSER", "envuser", "PGTARGETSESSIONATTRS", "read-write"));
        assertThat(c.urlParameters()).containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", rootCertificate.toString()).containsEntry("targetServerType", "primary");
        assertThat(c.target()).isEqualTo(new DatabaseTarget("db.example", 6432, "app", "envuser"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://db.example:5433/app?sslmode=require&user=urluser",
            "postgresql://urluser@db.example:5433/app?sslmode=require",
            "host=db.example port=5433 dbname=app user=urluser sslmode=require"})
    void whatTheUrlWritesWinsOverTheVariables(String url) {
        DbConfig c = config(env("DB_URL", url, "PGSSLMODE", "verify-full", "PGPORT", "6432", "PGHOST", "other",
                "PGDATABASE", "otherdb", "PGUSER", "envuser"));
        assertThat(c.urlParameters()).containsEntry("sslmode", "require");
        assertThat(c.target()).isEqualTo(new DatabaseTarget("db.example", 5433, "app", "urluser"));
    }

    @Test
    void aVariableNeverAddsASecondSpellingOfAWrittenSetting() {
        DbConfig c = config(env("DB_URL", "postgresql://h/db?requiressl=1&ApplicationName=written",
                "PGSSLMODE", "disable", "PGAPPNAME", "fromenv"));
        assertThat(c.urlParameters()).containsEntry("sslmode", "require").containsEntry("ApplicationName", "written");
    }

    @Test
    void aUrlWithoutHostOrDatabaseTakesThemFromTheVariables() {
        assertThat(config(env("DB_URL", "postgresql:///?sslmode=require", "PGHOST", "a,b", "PGPORT", "1,2",
                "PGDATABASE", "envdb")).targets()).extracting(DatabaseTarget::toString)
                .containsExactly("a:1/envdb", "b:2/envdb");
        assertThat(config(env("DB_URL", "jdbc:postgresql:mydb", "PGHOST", "envhost")).jdbcUrl())
                .isEqualTo("jdbc:postgresql://envhost:5432/mydb");
        assertThat(config(env("DB_URL", "dbname=x", "PGHOSTADDR", "10.0.0.7")).jdbcUrl())
                .isEqualTo("jdbc:postgresql://10.0.0.7:5432/x");
        assertThatThrownBy(() -> config(env("DB_URL", "postgresql://a,b/db", "PGPORT", "1,2,3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PGPORT: 3 ports for 2 hosts");
    }

    @Test
    void explicitKeysWinOverTheUrlAndTheVariables() {
        Properties system = new Properties();
        system.setProperty("db.user", "keyuser");
        system.setProperty("db.password", "key-password");
        system.setProperty("db.application-name", "keyapp");
        system.setProperty("db.connect-timeout", "3s");
        DbConfig c = DbConfig.fromEnvironment(env("DB_URL", "postgresql://urluser:url-password@h/db",
                "PGUSER", "envuser", "PGPASSWORD", "env-password", "PGAPPNAME", "envapp", "PGCONNECT_TIMEOUT", "60"),
                system);
        assertThat(c.user()).contains("keyuser");
        assertThat(c.password()).contains("key-password");
        assertThat(c.applicationName()).isEqualTo("keyapp");
        assertThat(c.connectTimeout()).hasSeconds(3);
        assertThat(c.urlParameters()).doesNotContainKey("connectTimeout").doesNotContainKey("ApplicationName");
        DbConfig env = config(env("DB_URL", "postgresql://h/db", "PGUSER", "envuser", "PGPASSWORD", SECRET,
                "PGAPPNAME", "envapp", "PGCONNECT_TIMEOUT", "60"));
        assertThat(env.user()).contains("envuser");
        assertThat(env.password()).contains(SECRET);
        assertThat(env.urlParameters()).containsEntry("connectTimeout", "60").containsEntry("ApplicationName", "envapp");
        assertThat(env.toString()).doesNotContain(SECRET);
    }

    @Test
    void aProblemNamesTheVariableItCameFrom() {
        assertThatThrownBy(() -> config(env("DB_URL", "postgresql://h/db", "PGSSLMODE", "verify-everything")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PGSSLMODE: parameter sslmode='verify-everything' is not disable, allow");
        assertThatThrownBy(() -> config(env("DB_URL", "postgresql://h/db", "PGREQUIREPEER", "postgres")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PGREQUIREPEER: the libpq parameter requirepeer is not supported");
        // The rule on a combination holds across sources: the URL's direct, the variable's prefer.
        assertThatThrownBy(() -> config(env("DB_URL", "postgresql://h/db?sslnegotiation=direct", "PGSSLMODE", "prefer")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslnegotiation=direct needs sslmode=require");
        assertThat(config(env("DB_URL", "postgresql://h/db?sslnegotiation=direct", "PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", rootCertificate.toString())).urlParameters())
                .containsEntry("sslNegotiation", "direct").containsEntry("sslmode", "verify-full");
    }

    @Test
    void theReadmeListsEveryVariable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String variable : db.api.internal.LibpqEnvironment.variables()) {
            assertThat(readme).as(variable).contains("`" + variable + "`");
        }
    }

    @Test
    void theBuilderAloneReadsNoVariables() {
        DbConfig c = DbConfig.builder().url("postgresql://h/db").build();
        assertThat(c.urlParameters()).doesNotContainKey("sslmode");
    }

    // ---- the connection service file ----

    @Test
    void aServiceSuppliesParametersBeneathTheUrlAndAboveTheVariables() throws IOException {
        write(".pg_service.conf", """
                # comment
                [other]
                host=wrong
                [svc]
                  host = svchost
                port=6000
                dbname=svcdb
                user=svcuser
                password=%s
                sslmode=require

                [later]
                host=wrong
                """.formatted(SECRET), "rw-------");
        DbConfig c = config(env("PGSERVICE", "svc", "PGSSLMODE", "verify-full", "PGAPPNAME", "envapp"));
        assertThat(c.target()).isEqualTo(new DatabaseTarget("svchost", 6000, "svcdb", "svcuser"));
        assertThat(c.password()).contains(SECRET);
        assertThat(c.urlParameters()).containsEntry("sslmode", "require").containsEntry("ApplicationName", "envapp");
        assertThat(c.toString()).doesNotContain(SECRET);
        DbConfig written = config(env("DB_URL", "service=svc dbname=mine sslmode=verify-ca sslrootcert="
                + rootCertificate));
        assertThat(written.target()).isEqualTo(new DatabaseTarget("svchost", 6000, "mine", "svcuser"));
        assertThat(written.urlParameters()).containsEntry("sslmode", "verify-ca").doesNotContainKey("service");
    }

    @Test
    void theServiceFileLocationsAreLibpqs() throws IOException {
        Path own = Files.createDirectory(home.resolve("own"));
        Files.writeString(own.resolve("services"), "[a]\nhost=fromservicefile\ndbname=d\n");
        assertThat(config(env("PGSERVICE", "a", "PGSERVICEFILE", own.resolve("services").toString())).target().host())
                .isEqualTo("fromservicefile");
        Path sys = Files.createDirectory(home.resolve("sys"));
        Files.writeString(sys.resolve("pg_service.conf"), "[b]\nhost=fromsysconf\ndbname=d\n[a]\nhost=sys-a\n");
        assertThat(config(env("PGSERVICE", "b", "PGSYSCONFDIR", sys.toString())).target().host()).isEqualTo("fromsysconf");
        // The per-user file wins when both define the service.
        assertThat(config(env("PGSERVICE", "a", "PGSERVICEFILE", own.resolve("services").toString(),
                "PGSYSCONFDIR", sys.toString())).target().host()).isEqualTo("fromservicefile");
    }

    @Test
    void aMissingOrBrokenServiceIsAProblem() throws IOException {
        assertThatThrownBy(() -> config(env("PGSERVICE", "nowhere", "PGSYSCONFDIR", home.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("service 'nowhere' is not defined in");
        write(".pg_service.conf", "[bad]\nhost=h\n" + SECRET + "\n[nested]\nservice=bad\n", "rw-------");
        assertThatThrownBy(() -> config(env("DB_URL", "service=bad dbname=x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("syntax error in service file")
                .hasMessageContaining("line 3").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> config(env("PGSERVICE", "nested")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nested service specifications");
        write(".pg_service.conf", "[typo]\nhost=h\ndbname=d\nsslmod=require\n", "rw-------");
        assertThatThrownBy(() -> config(env("PGSERVICE", "typo")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("service 'typo' (")
                .hasMessageContaining("unknown parameter 'sslmod' (did you mean sslmode?)");
    }

    // ---- the password file ----

    @Test
    void thePasswordFileGivesThePasswordOfTheFirstMatchingLine() throws IOException {
        write(".pgpass", """
                # hostname:port:database:username:password
                other:5432:*:*:wrong
                db.example:5433:app:alice:first\\:with\\\\escapes
                db.example:*:*:alice:second
                *:*:*:*:%s
                """.formatted(SECRET), "rw-------");
        assertThat(config(env("DB_URL", "postgresql://alice@db.example:5433/app")).password())
                .contains("first:with\\escapes");
        assertThat(config(env("DB_URL", "postgresql://alice@db.example:5434/app")).password()).contains("second");
        DbConfig wildcard = config(env("DB_URL", "postgresql://bob@elsewhere/app"));
        assertThat(wildcard.password()).contains(SECRET);
        assertThat(wildcard.toString()).doesNotContain(SECRET);
    }

    @Test
    void localhostMatchesAConnectionThatNamesNoHostAndAnIpOnlyItself() throws IOException {
        write(".pgpass", "localhost:5432:app:alice:" + SECRET + "\n127.0.0.1:5432:app:carol:ip\n", "rw-------");
        assertThat(config(env("PGDATABASE", "app", "PGUSER", "alice")).password()).contains(SECRET);
        assertThat(config(env("DB_URL", "postgresql://alice@localhost/app")).password()).contains(SECRET);
        assertThat(config(env("DB_URL", "postgresql://alice@127.0.0.1/app")).password()).isEmpty();
        assertThat(config(env("DB_URL", "postgresql://carol@127.0.0.1/app")).password()).contains("ip");
    }

    @Test
    void passfileAndPgpassfileNameTheFileAndAGivenPasswordWins() throws IOException {
        Path elsewhere = write("elsewhere", "*:*:*:*:from-pgpassfile\n", "r--------");
        write(".pgpass", "*:*:*:*:from-home\n", "rw-------");
        assertThat(config(env("DB_URL", "postgresql://u@h/db")).password()).contains("from-home");
        assertThat(config(env("DB_URL", "postgresql://u@h/db", "PGPASSFILE", elsewhere.toString())).password())
                .contains("from-pgpassfile");
        assertThat(config(env("DB_URL", "host=h dbname=db user=u passfile=" + elsewhere)).password())
                .contains("from-pgpassfile");
        assertThat(config(env("DB_URL", "postgresql://u@h/db", "PGPASSWORD", "given")).password()).contains("given");
        assertThat(config(env("DB_URL", "postgresql://u:inurl@h/db")).password()).contains("inurl");
    }

    @Test
    void aPasswordFileOthersMayReadIsIgnoredAndPgjdbcDoesNotReadItEither() throws IOException {
        write(".pgpass", "*:*:*:*:" + SECRET + "\n", "rw-r-----");
        DbConfig c = config(env("DB_URL", "postgresql://u@h/db"));
        assertThat(c.password()).isEmpty();
        // pgjdbc reads ~/.pgpass itself when it gets no password, checking no permissions: it gets an empty one.
        assertThat(c.urlParameters()).containsEntry("password", "");
        assertThat(c.toString()).doesNotContain(SECRET);
        Files.delete(home.resolve(".pgpass"));
        assertThat(config(env("DB_URL", "postgresql://u@h/db")).urlParameters()).doesNotContainKey("password");
    }

    @Test
    void hostsWithDifferentPasswordsAreAProblemNotALeak() throws IOException {
        write(".pgpass", "a:*:*:*:" + SECRET + "\nb:*:*:*:other-secret\n", "rw-------");
        assertThatThrownBy(() -> config(env("DB_URL", "postgresql://u@a,b/db")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gives the hosts different passwords")
                .hasMessageNotContaining(SECRET).hasMessageNotContaining("other-secret");
        write(".pgpass", "*:*:*:*:" + SECRET + "\n", "rw-------");
        assertThat(config(env("DB_URL", "postgresql://u@a,b/db")).password()).contains(SECRET);
    }

    @Test
    void aPasswordSupplierMeansNoPasswordFile() throws IOException {
        write(".pgpass", "*:*:*:*:" + SECRET + "\n", "rw-------");
        DbConfig c = DbConfig.builderFromEnvironment(env("DB_URL", "postgresql://u@h/db"), new Properties())
                .passwordSupplier(() -> "supplied").connectTimeout(Duration.ofSeconds(2)).build();
        assertThat(c.password()).isEmpty();
        assertThat(c.urlParameters()).doesNotContainKey("password");
    }
}
