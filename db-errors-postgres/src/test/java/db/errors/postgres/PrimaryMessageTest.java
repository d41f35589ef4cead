package db.errors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rule that takes values out of the server's primary message. */
class PrimaryMessageTest {

    static Stream<Arguments> primaryMessages() {
        return Stream.of(
                // class 22 hides quoted values, even with quotes inside
                Arguments.of("22P02", "invalid input syntax for type integer: \"a\"b\"",
                        "invalid input syntax for type integer: \"?\""),
                Arguments.of("22003", "value \"99999999999\" is out of range for type integer",
                        "value \"?\" is out of range for type integer"),
                // class 22 masks values only, not encoding names or byte codes
                Arguments.of("22021", "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82",
                        "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82"),
                Arguments.of("22P05", "character with byte sequence 0xe2 0x82 0xac in encoding \"UTF8\" has no equivalent "
                        + "in encoding \"LATIN1\"", "character with byte sequence 0xe2 0x82 0xac in encoding \"UTF8\" "
                        + "has no equivalent in encoding \"LATIN1\""),
                // other classes keep names but hide echoed literals
                Arguments.of("42P01", "relation \"users\" does not exist", "relation \"users\" does not exist"),
                Arguments.of("42601", "syntax error at or near \"'bob@example.com'\"", "syntax error at or near \"?\""));
    }

    @ParameterizedTest
    @MethodSource("primaryMessages")
    void hidesValuesButKeepsNames(String sqlState, String primary, String expected) {
        assertThat(PostgresErrorMapper.primaryWithoutValues(sqlState, primary)).isEqualTo(expected);
    }

    @Test
    void aValueThatLooksLikeAnEncodingNameIsStillHidden() {
        assertThat(PostgresErrorMapper.primaryWithoutValues("22P02", "invalid input syntax for type integer: \"encoding \"UTF8\" 42\""))
                .doesNotContain("42");
    }

    @Test
    void noPrimaryMessageStaysNone() {
        assertThat(PostgresErrorMapper.primaryWithoutValues("23505", null)).isNull();
    }
}
