package db.errors.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import db.api.CheckViolationException;
import db.api.DataAccessException;
import db.api.DuplicateKeyException;
import db.api.spi.ErrorContext;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Row values from the server's DETAIL stay out of messages unless the application opts in. */
class PiiTest {

    private static final ErrorContext WITH_DETAIL = new ErrorContext(true, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    private static TestSchema schema;
    private final PostgresErrorMapper mapper = new PostgresErrorMapper();

    @BeforeAll
    static void createTable() {
        schema = TestDatabase.get().createSchema("errors_pii");
        schema.execute("CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE, "
                + "note text CONSTRAINT people_note_short CHECK (length(note) < 5))");
    }

    @AfterAll
    static void dropTable() {
        schema.close();
    }

    private static String sentinel() {
        return "pii-sentinel-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@example.com";
    }

    private SQLException insertTwice(String email) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema.name());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people(email) VALUES (?)")) {
                ps.setString(1, email);
                ps.executeUpdate();
                ps.setString(1, email);
                SQLException e = catchThrowableOfType(SQLException.class, ps::executeUpdate);
                assertThat((Throwable) e).isNotNull();
                // the driver's own message carries the row value: that is what we keep out
                assertThat(e.getMessage()).contains(email);
                return e;
            }
        }
    }

    @Test
    void duplicateKeyMessageHidesTheValue() throws SQLException {
        String email = sentinel();
        DataAccessException e = mapper.map(insertTwice(email), ErrorContext.DEFAULT).orElseThrow();
        assertThat(e).isExactlyInstanceOf(DuplicateKeyException.class);
        assertThat(e.getMessage()).doesNotContain(email).contains("people_email_key");
        assertThat(e.toString()).doesNotContain(email);
        assertThat(e.details().toString()).doesNotContain(email);
        assertThat(e.detail()).isEmpty();
    }

    @Test
    void detailOnlyWhenOptedIn() throws SQLException {
        String email = sentinel();
        DataAccessException e = mapper.map(insertTwice(email), WITH_DETAIL).orElseThrow();
        assertThat(e).isExactlyInstanceOf(DuplicateKeyException.class);
        assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains(email));
        // opting in fills detail(), never the message or toString
        assertThat(e.getMessage()).doesNotContain(email);
        assertThat(e.toString()).doesNotContain(email);
        assertThat(e.details().toString()).doesNotContain(email);
    }

    @Test
    void failingRowIsNotInTheMessage() throws SQLException {
        String note = "secret-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema.name());
            SQLException failure = catchThrowableOfType(SQLException.class,
                    () -> s.execute("INSERT INTO people(note) VALUES ('" + note + "')"));
            assertThat((Throwable) failure).isNotNull();
            DataAccessException e = mapper.map(failure, ErrorContext.DEFAULT).orElseThrow();
            assertThat(e).isExactlyInstanceOf(CheckViolationException.class);
            assertThat(e.getMessage()).doesNotContain(note);
            assertThat(e.toString()).doesNotContain(note);
            DataAccessException opted = mapper.map(failure, WITH_DETAIL).orElseThrow();
            assertThat(opted.detail()).hasValueSatisfying(d -> assertThat(d).contains("Failing row contains", note));
        }
    }
}
