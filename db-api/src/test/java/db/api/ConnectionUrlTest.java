package db.api;

import db.testkit.TlsFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.internal.ConnectionParameters;
import db.api.spi.WrittenUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** URLs, DSNs and the libpq parameter table: mapped with libpq's meaning, passed through, or rejected. */
class ConnectionUrlTest {
    private static final String SECRET = "S3NT1NEL";

    private static DbConfig build(String url) {
        return DbConfig.builder().url(url).build();
    }

    private static String problem(String url) {
        try {
            build(url);
        } catch (ConfigException e) {
            assertThat(e.problems()).hasSize(1);
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return e.problems().get(0);
        }
        throw new AssertionError("accepted: " + url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "target_session_attrs=any|targetServerType|any",
            "target_session_attrs=read-write|targetServerType|primary",
            "target_session_attrs=read-only|targetServerType|secondary",
            "target_session_attrs=primary|targetServerType|primary",
            "target_session_attrs=standby|targetServerType|secondary",
            "target_session_attrs=prefer-standby|targetServerType|preferSecondary",
            "load_balance_hosts=random|loadBalanceHosts|true",
            "load_balance_hosts=disable|loadBalanceHosts|false",
            "keepalives=1|tcpKeepAlive|true",
            "keepalives=0|tcpKeepAlive|false",
            "connect_timeout=7|connectTimeout|7",
            "connect_timeout=1|connectTimeout|2",
            "application_name=svc|ApplicationName|svc",
            "sslmode=disable|sslmode|disable",
            "requiressl=1|sslmode|require",
            "channel_binding=require|channelBinding|require",
            "gssencmode=disable|gssEncMode|disable",
            "krbsrvname=pg|kerberosServerName|pg",
            "require_auth=scram-sha-256|requireAuth|scram-sha-256",
            "prepareThreshold=0|prepareThreshold|0",
            "targetServerType=preferSecondary|targetServerType|preferSecondary",
            "tcpKeepAlive=false|tcpKeepAlive|false",
    })
    void libpqParametersAreMappedWithLibpqsMeaning(String parameter, String property, String value) {
        for (String url : List.of("postgresql://h/db?" + parameter, "host=h dbname=db " + parameter,
                "jdbc:postgresql://h/db?" + parameter)) {
            assertThat(build(url).urlParameters()).as(url).containsEntry(property, value);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"require", "verify-ca", "verify-full"})
    void directTlsNegotiationGoesWithAnSslmodeThatRequiresTls(String mode) {
        // verify-* need a root certificate; with one, libpq's require would verify as verify-ca
        String root = mode.equals("require") ? "" : "sslrootcert=" + db.testkit.TlsFixture.anyRootCertificateFile();
        for (String url : List.of("postgresql://h/db?sslmode=" + mode + "&sslnegotiation=direct&" + root,
                "host=h dbname=db sslnegotiation=direct sslmode=" + mode + " " + root,
                "jdbc:postgresql://h/db?sslNegotiation=direct&sslmode=" + mode + "&" + root)) {
            assertThat(build(url).urlParameters()).as(url).containsEntry("sslNegotiation", "direct")
                    .containsEntry("sslmode", mode);
        }
    }

    @ParameterizedTest
    @CsvSource({"postgresql://h/db?sslnegotiation=direct,prefer",
            "host=h dbname=db sslnegotiation=direct sslmode=prefer,prefer",
            "postgresql://h/db?sslnegotiation=direct&sslmode=allow,allow",
            "jdbc:postgresql://h/db?sslmode=disable&sslNegotiation=direct,disable"})
    void directTlsNegotiationWithoutRequiredTlsIsRefusedAsLibpq17Does(String url, String mode) {
        assertThat(problem(url)).isEqualTo("db.url: sslnegotiation=direct needs sslmode=require, verify-ca or "
                + "verify-full (libpq 17's rule: a direct TLS handshake has no plaintext fallback), but sslmode is "
                + mode);
    }

    @Test
    void connectTimeoutFromTheUrlAlsoBoundsLogin() {
        // the URL's connect_timeout reaches the engine, which bounds the login by it too (DriverPropertiesTest)
        assertThat(build("host=h dbname=db connect_timeout=7").urlParameters()).containsEntry("connectTimeout", "7")
                .doesNotContainKey("loginTimeout");
    }

    @Test
    void noOpValuesAreAcceptedAndPassNothing() {
        Map<String, String> p = build("host=h dbname=db client_encoding=UTF8 sslsni=1 sslcompression=0 "
                + "sslcertmode=allow").urlParameters();
        assertThat(p).doesNotContainKeys("client_encoding", "sslsni", "sslcompression", "sslcertmode");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "require_auth=md5,!password|parameter require_auth='md5,!password' mixes allowed and forbidden (!) methods",
            "require_auth=oauth|parameter require_auth='oauth' names oauth, which pgjdbc does not support",
            "require_auth=scram-sha-256,scram-sha-256|parameter require_auth='scram-sha-256,scram-sha-256' names scram-sha-256 twice",
            "requireAuth=kerberos|parameter requireAuth='kerberos' is not a list of password, md5, gss, sspi",
            "keepalives_idle=30|the libpq parameter keepalives_idle is not supported",
            "tcp_user_timeout=100|the libpq parameter tcp_user_timeout is not supported",
            "sslcrldir=/c|the libpq parameter sslcrldir is not supported",
            "replication=database|the libpq parameter replication is not supported",
            "target_session_attrs=read-mostly|parameter target_session_attrs='read-mostly' is not any, read-write",
            "keepalives=yes|parameter keepalives='yes' is not 1 or 0",
            "connect_timeout=0|parameter connect_timeout='0' would wait forever",
            "client_encoding=LATIN1|parameter client_encoding='LATIN1' is not UTF8",
            "sslmode=required|parameter sslmode='required' is not disable, allow, prefer",
            "tcpKeepAlive=1|parameter tcpKeepAlive='1' is not true or false (pgjdbc would read it as false)",
            "targetServerType=read-write|parameter targetServerType='read-write' is not one of any, primary",
            "sslmod=require|unknown parameter 'sslmod' (did you mean sslmode?)",
            "frobnicate=1|unknown parameter 'frobnicate' (neither a libpq connection parameter nor a pgjdbc property)",
    })
    void everythingElseIsOneClearProblem(String parameter, String expected) {
        assertThat(problem("postgresql://h/db?" + parameter)).startsWith("db.url: " + expected);
        assertThat(problem("host=h dbname=db " + parameter)).startsWith("db.url: " + expected);
    }

    @Test
    void multiHostFormsAgree() {
        for (String url : List.of("host=a,b port=5432,5433 dbname=db", "postgresql://a:5432,b:5433/db",
                "jdbc:postgresql://a:5432,b:5433/db", "postgresql:///db?host=a,b&port=5432,5433")) {
            DbConfig c = build(url);
            assertThat(c.targets()).as(url).extracting(t -> t.host() + ":" + t.port()).containsExactly("a:5432", "b:5433");
            assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://a:5432,b:5433/db");
        }
        assertThat(build("host=a,b,c port=6000 dbname=db").targets()).extracting(DatabaseTarget::port)
                .containsExactly(6000, 6000, 6000);
        assertThat(build("postgresql://[::1]:6000,h2/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6000,h2:5432/db");
        assertThat(build("hostaddr=10.0.0.1 dbname=db").target().host()).isEqualTo("10.0.0.1");
    }

    @Test
    void hostListProblems() {
        assertThat(problem("host=a,b,c port=1,2 dbname=db")).isEqualTo(
                "db.url: 2 ports for 3 hosts (give one port for all hosts, or one per host)");
        assertThat(problem("host=a hostaddr=10.0.0.1 dbname=db")).startsWith("db.url: host and hostaddr are both given");
        assertThat(problem("host=/var/run/postgresql dbname=db")).contains("Unix-domain socket");
        assertThat(problem("postgresql://h:99999/db")).isEqualTo("db.url: the port of host 1 is not a number between 1 and 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"@", "/", "#", ";", "?", ":", "%40", " "})
    void passwordsWithSpecialCharactersStayPasswords(String special) {
        String raw = "pa" + special + SECRET;
        String url = "postgresql://u:" + raw + "@h:5433/db?sslmode=require";
        if (special.equals("?")) {
            // '?' starts the query, so this URI is ambiguous: one clear problem, the password not in it
            assertThat(problem(url)).startsWith("db.url: ");
        } else {
            DbConfig uri = build(url);
            assertThat(uri.password()).contains(special.equals("%40") ? "pa@" + SECRET : raw);
            assertThat(uri.target().toString()).isEqualTo("u@h:5433/db");
            assertThat(uri.toString()).doesNotContain(SECRET);
        }
        DbConfig dsn = build("host=h dbname=db password='" + raw.replace("'", "\\'") + "'");
        assertThat(dsn.password()).contains(raw);
        assertThat(dsn.toString()).doesNotContain(SECRET);
    }

    @Test
    void problemsNeverQuoteThePassword() {
        assertThat(problem("postgresql://u:" + SECRET + "%zz-d2@h/db")).isEqualTo(
                "db.url: bad percent-encoding in the password (a '%' must be followed by two hex digits; write a literal '%' as %25)");
        assertThat(problem("postgresql://u:x" + SECRET + "/d1@h")).isEqualTo(
                "db.url names no database (add /name to a URL, or dbname=name to a DSN)");
        assertThat(problem("host=h dbname=db password=ab " + SECRET)).startsWith(
                "db.url: a word without '=' follows the value of 'password'");
        assertThat(problem("postgresql://h/db?password=ab&" + SECRET)).startsWith("db.url: a query parameter has no '='");
        assertThat(problem("postgresql://u:" + SECRET + "?x@h/db")).doesNotContain(SECRET);
        assertThat(problem("host=h dbname=db password='" + SECRET)).isEqualTo(
                "db.url: the quoted value of 'password' is never closed in the key/value DSN");
        assertThat(problem("postgresql://h/db?sslpassword=" + SECRET + "&sslmode=bogus")).doesNotContain(SECRET);
        assertThat(build("host=h dbname=db password=ab;" + SECRET).toString()).doesNotContain(SECRET);
    }

    @Test
    void secretsTravelAsPropertiesNeverInTheUrl() {
        DbConfig c = build("postgresql://u:" + SECRET + "@h/db?sslpassword=" + SECRET + "x&sslmode=require");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(c.password()).contains(SECRET);
        assertThat(c.urlParameters()).containsEntry("sslpassword", SECRET + "x").doesNotContainKey("password");
        assertThat(c.toString()).doesNotContain(SECRET).contains("sslpassword=****");
    }

    @Test
    void fallbackApplicationNameOnlyReplacesTheDefault() {
        assertThat(build("host=h dbname=db fallback_application_name=fb").applicationName()).isEqualTo("fb");
        assertThat(DbConfig.builder().url("host=h dbname=db fallback_application_name=fb").applicationName("mine")
                .build().applicationName()).isEqualTo("mine");
        assertThat(build("host=h dbname=db fallback_application_name=fb application_name=app").applicationName())
                .isEqualTo("app");
        assertThat(build("host=h dbname=db fallback_application_name=fb").urlParameters())
                .doesNotContainKey("fallback_application_name");
        assertThat(build("host=h dbname=db fallback_application_name=fb").applicationName()).isEqualTo("fb");
    }

    @Test
    void theReadmeListsEveryLibpqParameter() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String name : ConnectionParameters.libpqNames()) {
            assertThat(readme).as(name).contains("`" + name + "`");
        }
    }

    @Test
    void writtenUrlIsTheTextAsWrittenWithoutThePassword() {
        WrittenUrl url = WrittenUrl.parse("postgresql://u:" + SECRET + "@a:5433,b/app?sslmode=require&sslpassword="
                + SECRET + "&application_name=x");
        assertThat(url.hosts()).extracting(Object::toString).containsExactly("a:5433", "b:5432");
        assertThat(url.database()).isEqualTo("app");
        assertThat(url.user()).isEqualTo("u");
        assertThat(url.parameters().keySet()).containsExactly("sslmode", "sslpassword", "application_name");
        assertThat(url.toString()).doesNotContain(SECRET).contains("sslpassword=****", "sslmode=require");
        assertThat(WrittenUrl.parse("host=h dbname=d").hosts()).containsExactly(new WrittenUrl.Host("h", 5432));
        assertThat(new WrittenUrl.Host("::1", 5432)).hasToString("[::1]:5432");
        assertThatThrownBy(() -> WrittenUrl.parse("mysql://h/db")).isInstanceOf(IllegalArgumentException.class);
    }
}
