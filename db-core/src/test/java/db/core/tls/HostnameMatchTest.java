package db.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** libpq's name rules (fe-secure-common.c): exact match ignoring case, a leading "*." for one whole label. */
class HostnameMatchTest {

    @ParameterizedTest
    @CsvSource({"db.example.com,db.example.com,true", "DB.Example.COM,db.example.com,true",
            "*.example.com,db.example.com,true", "*.example.com,a.b.example.com,false",
            "*.example.com,example.com,false", "*.example.com,.example.com,false", "*,db,false",
            "d*.example.com,db.example.com,false", "*.com,example.com,true", "db.example.com,db.example.org,false"})
    void namesMatchAsInLibpq(String pattern, String host, boolean matches) {
        assertThat(HostnameMatch.nameMatches(pattern, host)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "::1,true", "[::1],false", "2001:db8::1,true", "localhost,false",
            "256.1.1.1,false", "1.2.3,false", "db.example.com,false"})
    void ipLiteralsAreRecognisedWithoutLookups(String text, boolean literal) {
        assertThat(HostnameMatch.ipLiteral(text) != null).isEqualTo(literal);
    }
}
