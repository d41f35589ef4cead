package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.api.Database;
import db.api.DuplicateKeyException;
import db.api.Session;
import db.moduletests.RecordingInstrumenter.Recording;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failure is mapped once: the exception the application catches is the object the instrumenters recorded. */
class OneMappingPerFailureTest {
    private static RecordedDatabase recorded;
    private static Database db;
    private static Recording recording;

    @BeforeAll
    static void open() {
        recorded = RecordedDatabase.open("onemapping", "keys", "create table keys (id int primary key)");
        db = recorded.db();
        recording = recorded.recording();
    }

    @AfterAll
    static void close() {
        recorded.close();
    }

    @BeforeEach
    void clear() {
        recorded.reset();
    }

    @Test
    void theSessionHelpersThrowTheRecordedObject() {
        Throwable caught;
        try (Session s = db.openSession()) {
            s.execute("insert into keys values (?)", 1);
            caught = catchThrowable(() -> s.execute("insert into keys values (?)", 1));
        }
        assertThat(caught).isInstanceOf(DuplicateKeyException.class);
        assertThat(recording.queries().get(recording.queries().size() - 1).outcome().mapped()).isSameAs(caught);
    }

    @Test
    void aRawSqlExceptionLeavingATransactionIsTheRecordedObject() {
        Throwable caught = catchThrowable(() -> db.runInTransaction(s -> {
            try (Statement st = s.connection().createStatement()) {
                st.execute("insert into keys values (2)");
                st.execute("insert into keys values (2)");
            }
        }));
        assertThat(caught).isInstanceOf(DuplicateKeyException.class);
        assertThat(recording.queries().get(recording.queries().size() - 1).outcome().mapped()).isSameAs(caught);
    }

    @Test
    void aFailureInsideANestedTransactionIsTheRecordedObject() {
        Throwable caught = catchThrowable(() -> db.runInTransaction(outer -> {
            outer.execute("insert into keys values (?)", 3);
            db.runInTransaction(inner -> inner.execute("insert into keys values (?)", 3));
        }));
        assertThat(caught).isInstanceOf(DuplicateKeyException.class);
        assertThat(recording.queries().stream().filter(e -> e.outcome().mapped() != null).findFirst().orElseThrow()
                .outcome().mapped()).isSameAs(caught);
    }
}
