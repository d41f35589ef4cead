package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.api.DuplicateKeyException;
import db.api.Session;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failure is mapped once: the exception the application catches is the object the instrumenters recorded. */
class OneMappingPerFailureTest {
    @RegisterExtension
    static final RecordedDatabase recorded =
            new RecordedDatabase("onemapping", "keys", "id int primary key");

    @Test
    void theSessionHelpersThrowTheRecordedObject() {
        Throwable caught;
        try (Session s = recorded.db().openSession()) {
            s.execute("insert into keys values (?)", 1);
            caught = catchThrowable(() -> s.execute("insert into keys values (?)", 1));
        }
        assertThat(caught).isInstanceOf(DuplicateKeyException.class);
        assertThat(recorded.recording().queries().get(recorded.recording().queries().size() - 1).outcome().mapped()).isSameAs(caught);
    }

    @Test
    void aRawSqlExceptionLeavingATransactionIsTheRecordedObject() {
        Throwable caught = catchThrowable(() -> recorded.db().runInTransaction(s -> {
            try (Statement st = s.connection().createStatement()) {
                st.execute("insert into keys values (2)");
                st.execute("insert into keys values (2)");
            }
        }));
        assertThat(caught).isInstanceOf(DuplicateKeyException.class);
        assertThat(recorded.recording().queries().get(recorded.recording().queries().size() - 1).outcome().mapped()).isSameAs(caught);
    }

    @Test
    void aFailureInsideANestedTransactionIsTheRecordedObject() {
        Throwable caught = catchThrowable(() -> recorded.db().runInTransaction(outer -> {
            outer.execute("insert into keys values (?)", 3);
            recorded.db().runInTransaction(inner -> inner.execute("insert into keys values (?)", 3));
        }));
        assertThat(caught).isInstanceOf(DuplicateKeyException.class);
        assertThat(recorded.recording().queries().stream().filter(e -> e.outcome().mapped() != null).findFirst().orElseThrow()
                .outcome().mapped()).isSameAs(caught);
    }
}
