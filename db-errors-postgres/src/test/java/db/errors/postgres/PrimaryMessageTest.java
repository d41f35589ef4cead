package db.errors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rule that takes values out of the server's primary message. */
class PrimaryMessageTest {

    @Test
    void classTwentyTwoHidesQuotedValuesEvenWithQuotesInside() {
        assertThat(PostgresErrorMapper.primaryWithoutValues("22P02", "invalid input syntax for type integer: \"a\"b\""))
                .isEqualTo("invalid input syntax for type integer: \"?\"");
        assertThat(PostgresErrorMapper.primaryWithoutValues("22003", "value \"99999999999\" is out of range for type integer"))
                .isEqualTo("value \"?\" is out of range for type integer");
    }

    @Test
    void classTwentyTwoMasksValuesOnlyNotEncodingNamesOrByteCodes() {
        assertThat(PostgresErrorMapper.primaryWithoutValues("22021", "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82"))
                .isEqualTo("invalid byte sequence for encoding \"UTF8\": 0xe2 0x82");
        assertThat(PostgresErrorMapper.primaryWithoutValues("22P05",
                "character with byte sequence 0xe2 0x82 0xac in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\""))
                .isEqualTo("character with byte sequence 0xe2 0x82 0xac in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\"");
        assertThat(PostgresErrorMapper.primaryWithoutValues("22P02", "invalid input syntax for type integer: \"encoding \"UTF8\" 42\""))
                .doesNotContain("42");
    }

    @Test
    void otherClassesKeepNamesButHideEchoedLiterals() {
        assertThat(PostgresErrorMapper.primaryWithoutValues("42P01", "relation \"users\" does not exist"))
                .isEqualTo("relation \"users\" does not exist");
        assertThat(PostgresErrorMapper.primaryWithoutValues("42601", "syntax error at or near \"'bob@example.com'\""))
                .isEqualTo("syntax error at or near \"?\"");
        assertThat(PostgresErrorMapper.primaryWithoutValues("23505", null)).isNull();
    }
}
