package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Database;
import db.api.DuplicateKeyException;
import db.api.IncorrectResultSizeException;
import db.api.Isolation;
import db.api.Session;
import db.api.TxOptions;
import db.api.UncategorizedDataAccessException;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionTransactionTest {
    private static TestSchema schema;
    private static Database db;
    private static Database single;

    @BeforeAll
    static void open() {
        schema = TestDatabase.get().createSchema("sessions");
        schema.execute("create table accounts (id int primary key, owner text not null, balance int not null)");
        db = Database.open(Fixtures.config(schema).build());
        // One connection only, so consecutive sessions are guaranteed the same physical connection.
        single = Database.open(Fixtures.config(schema).minSize(1).maxSize(1).build());
    }

    @AfterAll
    static void close() {
        db.close();
        single.close();
        schema.close();
    }

    @BeforeEach
    void empty() {
        schema.execute("truncate accounts");
    }

    @Test
    void anOpenedSessionIsInAutocommitMode() throws SQLException {
        try (Session session = db.openSession()) {
            assertThat(session.connection().getAutoCommit()).isTrue();
            assertThat(session.inTransaction()).isFalse();
            assertThat(session.execute("insert into accounts values (?, ?, ?)", 1, "ann", 10)).isEqualTo(1);
        }
        assertThat(countBehindTheLibrary()).isEqualTo(1);
    }

    @Test
    void queryAndQueryOneBindParameters() {
        try (Session session = db.openSession()) {
            session.executeBatch("insert into accounts values (?, ?, ?)",
                    List.of(new Object[] {1, "ann", 10}, new Object[] {2, "bob", 20}, new Object[] {3, "o'hara", 30}));
            assertThat(session.query("select owner from accounts where balance >= ? order by id",
                    row -> row.getString(1), 20)).containsExactly("bob", "o'hara");
            assertThat(session.queryOne("select owner from accounts where owner = ?", row -> row.getString(1),
                    "o'hara")).contains("o'hara");
            assertThat(session.queryOne("select owner from accounts where id = ?", row -> row.getString(1), 99)).isEmpty();
            assertThatThrownBy(() -> session.queryOne("select owner from accounts", row -> row.getString(1)))
                    .isInstanceOf(IncorrectResultSizeException.class);
        }
    }

    @Test
    void inTransactionCommitsWhenTheWorkReturns() {
        int inserted = db.inTransaction(session -> {
            assertThat(session.inTransaction()).isTrue();
            assertThat(session.connection().getAutoCommit()).isFalse();
            session.execute("insert into accounts values (?, ?, ?)", 1, "ann", 10);
            return session.execute("insert into accounts values (?, ?, ?)", 2, "bob", 20);
        });
        assertThat(inserted).isEqualTo(1);
        assertThat(countBehindTheLibrary()).isEqualTo(2);
    }

    @Test
    void anyExceptionRollsBackAndIsRethrownMapped() {
        db.runInTransaction(session -> session.execute("insert into accounts values (?, ?, ?)", 1, "ann", 10));
        assertThatThrownBy(() -> db.runInTransaction(session -> {
            session.execute("insert into accounts values (?, ?, ?)", 2, "bob", 20);
            session.execute("insert into accounts values (?, ?, ?)", 1, "again", 30);
        })).isInstanceOf(DuplicateKeyException.class)
                .satisfies(e -> assertThat(((DuplicateKeyException) e).constraint()).contains("accounts_pkey"));
        assertThat(countBehindTheLibrary()).isEqualTo(1);
    }

    @Test
    void aRawSqlExceptionFromJdbcIsMappedToo() {
        assertThatThrownBy(() -> db.runInTransaction(session -> {
            try (Statement st = session.connection().createStatement()) {
                st.executeUpdate("insert into accounts values (5, 'eve', 1)");
                st.executeUpdate("insert into accounts values (5, 'eve', 1)");
            }
        })).isInstanceOf(DuplicateKeyException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(countBehindTheLibrary()).isZero();
    }

    @Test
    void applicationExceptionsPassThroughUnchangedAfterRollback() {
        IllegalStateException boom = new IllegalStateException("business rule");
        assertThatThrownBy(() -> db.runInTransaction(session -> {
            session.execute("insert into accounts values (?, ?, ?)", 1, "ann", 10);
            throw boom;
        })).isSameAs(boom);
        assertThatThrownBy(() -> db.runInTransaction(session -> {
            session.execute("insert into accounts values (?, ?, ?)", 1, "ann", 10);
            throw new IOException("checked");
        })).isInstanceOf(UncategorizedDataAccessException.class).hasCauseInstanceOf(IOException.class);
        assertThat(countBehindTheLibrary()).isZero();
    }

    @Test
    void closeGivesTheConnectionBackClean() throws SQLException {
        int pid;
        try (Session readOnly = single.openSession()) {
            Connection c = readOnly.connection();
            pid = backendPid(c);
            c.setReadOnly(true);
            assertThat(c.isReadOnly()).isTrue();
        }
        try (Session dirty = single.openSession()) {
            Connection c = dirty.connection();
            assertThat(backendPid(c)).as("same physical connection").isEqualTo(pid);
            assertThat(c.isReadOnly()).isFalse();
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into accounts values (9, 'uncommitted', 0)");
            }
            // closed without commit, with autocommit and isolation changed
        }
        try (Session next = single.openSession()) {
            Connection c = next.connection();
            assertThat(backendPid(c)).as("same physical connection").isEqualTo(pid);
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.isReadOnly()).isFalse();
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            assertThat(show(c, "transaction_isolation")).isEqualTo("read committed");
            assertThat(show(c, "transaction_read_only")).isEqualTo("off");
        }
        assertThat(countBehindTheLibrary()).as("the open transaction was rolled back").isZero();
    }

    @Test
    void transactionOptionsAreAppliedAndUndone() throws SQLException {
        int pid = single.inTransaction(TxOptions.builder().isolation(Isolation.SERIALIZABLE).readOnly(true).build(),
                session -> {
                    Connection c = session.connection();
                    assertThat(show(c, "transaction_isolation")).isEqualTo("serializable");
                    assertThat(show(c, "transaction_read_only")).isEqualTo("on");
                    return backendPid(c);
                });
        try (Session next = single.openSession()) {
            assertThat(backendPid(next.connection())).isEqualTo(pid);
            assertThat(show(next.connection(), "transaction_isolation")).isEqualTo("read committed");
            assertThat(show(next.connection(), "transaction_read_only")).isEqualTo("off");
        }
    }

    @Test
    void statementsLeadBackToTheSessionsConnectionAndUnwrap() throws SQLException {
        try (Session session = db.openSession()) {
            Connection c = session.connection();
            try (Statement st = c.createStatement(); var ps = c.prepareStatement("select 1");
                 var cs = c.prepareCall("select 1")) {
                assertThat(st.getConnection()).isSameAs(c);
                assertThat(ps.getConnection()).isSameAs(c);
                assertThat(cs.getConnection()).isSameAs(c);
                assertThat(c.isWrapperFor(Connection.class)).isTrue();
                assertThat(c.unwrap(Connection.class)).isSameAs(c);
                assertThat(st.unwrap(Statement.class)).isSameAs(st);
            }
        }
    }

    @Test
    void closingTheJdbcConnectionClosesTheSession() throws SQLException {
        Session session = db.openSession();
        Connection c = session.connection();
        int busyBefore = db.stats().busy();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(db.stats().busy()).isEqualTo(busyBefore - 1);
        session.close(); // idempotent
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int countBehindTheLibrary() {
        try (Connection c = TestDatabase.get().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + schema.name() + ".accounts")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
