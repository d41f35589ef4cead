package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.DuplicateKeyException;
import db.api.Session;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.moduletests.RecordingInstrumenter.Event;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every execution through a session's connection (or the DataSource view) reaches the instrumenters. */
class InstrumentationTest {
    @RegisterExtension
    static final RecordedDatabase recorded =
            new RecordedDatabase("instrumentation", "notes", "id int primary key, body text");

    @Test
    void plainStatementsAreReportedAsNotParameterized() throws SQLException {
        try (Session session = recorded.db().openSession(); Statement st = session.connection().createStatement()) {
            st.executeUpdate("insert into notes values (1, 'a')");
            st.executeQuery("select * from notes").close();
            st.execute("update notes set body = 'b'");
            st.executeLargeUpdate("delete from notes where id = 1");
        }
        assertThat(recorded.recording().queries()).extracting(e -> e.query().sql()).containsExactly(
                "insert into notes values (1, 'a')", "select * from notes", "update notes set body = 'b'",
                "delete from notes where id = 1");
        assertThat(recorded.recording().queries()).allSatisfy(e -> {
            assertThat(e.query().parameterized()).isFalse();
            assertThat(e.query().batchSize()).isZero();
            assertThat(e.outcome().succeeded()).isTrue();
        });
        assertThat(recorded.recording().queries().get(0).outcome().rows()).isEqualTo(1);
        assertThat(recorded.recording().queries().get(3).outcome().rows()).isEqualTo(1);
    }

    @Test
    void preparedStatementsAndBatchesCarryTheirShape() throws SQLException {
        try (Session session = recorded.db().openSession();
             PreparedStatement ps = session.connection().prepareStatement("insert into notes values (?, ?)")) {
            for (int i = 1; i <= 3; i++) {
                ps.setInt(1, i);
                ps.setString(2, "body " + i);
                ps.addBatch();
            }
            ps.executeBatch();
            ps.setInt(1, 4);
            ps.setString(2, "single");
            ps.executeUpdate();
        }
        try (Session session = recorded.db().openSession(); Statement st = session.connection().createStatement()) {
            st.addBatch("update notes set body = 'x' where id = 1");
            st.addBatch("update notes set body = 'y' where id = 2");
            st.executeBatch();
        }
        assertThat(recorded.recording().queries()).hasSize(3);
        QueryContext batch = recorded.recording().queries().get(0).query();
        assertThat(batch.sql()).isEqualTo("insert into notes values (?, ?)");
        assertThat(batch.parameterized()).isTrue();
        assertThat(batch.batchSize()).isEqualTo(3);
        assertThat(recorded.recording().queries().get(0).outcome().rows()).isEqualTo(3);
        assertThat(recorded.recording().queries().get(1).query().batchSize()).isZero();
        QueryContext statementBatch = recorded.recording().queries().get(2).query();
        assertThat(statementBatch.batchSize()).isEqualTo(2);
        assertThat(statementBatch.parameterized()).isFalse();
        assertThat(statementBatch.sql()).isEqualTo(
                "update notes set body = 'x' where id = 1; update notes set body = 'y' where id = 2");
    }

    @Test
    void callableStatementsAndSessionHelpersAreReported() throws SQLException {
        try (Session session = recorded.db().openSession()) {
            try (CallableStatement cs = session.connection().prepareCall("select upper(?)")) {
                cs.setString(1, "x");
                cs.execute();
            }
            session.execute("insert into notes values (?, ?)", 7, "seven");
            session.query("select body from notes where id = ?", r -> r.getString(1), 7);
        }
        assertThat(recorded.recording().queries()).extracting(e -> e.query().sql())
                .containsExactly("select upper(?)", "insert into notes values (?, ?)", "select body from notes where id = ?");
    }

    @Test
    void theDataSourceViewIsInstrumentedAndReturnsConnections() throws SQLException {
        int busy = recorded.db().stats().busy();
        try (Connection c = recorded.db().dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThat(c.getAutoCommit()).isTrue();
            st.execute("select 1");
            assertThat(recorded.db().stats().busy()).isEqualTo(busy + 1);
        }
        assertThat(recorded.db().stats().busy()).isEqualTo(busy);
        assertThat(recorded.recording().queries()).extracting(e -> e.query().sql()).containsExactly("select 1");
    }

    @Test
    void failuresAreReportedWithTheDriverAndTheMappedException() {
        try (Session session = recorded.db().openSession()) {
            session.execute("insert into notes values (?, ?)", 1, "a");
            assertThatThrownBy(() -> session.execute("insert into notes values (?, ?)", 1, "b"))
                    .isInstanceOf(DuplicateKeyException.class);
        }
        Event failed = recorded.recording().queries().get(1);
        assertThat(failed.outcome().succeeded()).isFalse();
        assertThat((Throwable) failed.outcome().error()).isInstanceOf(SQLException.class);
        assertThat(failed.outcome().mapped()).isInstanceOf(DuplicateKeyException.class);
        assertThat(failed.outcome().sqlState()).isEqualTo("23505");
    }

    @Test
    void anInstrumenterWrittenBeforeCommitAndRollbackNamedTheirHostIsStillToldOfThem() {
        recorded.db().inTransaction(s -> s.execute("insert into notes values (?, ?)", 5, "kept"));
        assertThatThrownBy(() -> recorded.db().inTransaction(s -> {
            s.execute("insert into notes values (?, ?)", 6, "undone");
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(recorded.recording().transactionEnds()).containsExactly("COMMIT", "ROLLBACK");
    }

    @Test
    void checkoutsAndReleasesAreReportedAsPoolEvents() {
        try (Session session = recorded.db().openSession()) {
            session.execute("select 1");
        }
        assertThat(recorded.recording().poolEvents().stream().map(PoolEvent::kind).collect(java.util.stream.Collectors.toList()))
                .containsSubsequence(PoolEvent.Kind.CHECKOUT, PoolEvent.Kind.RELEASE);
    }
}
