package db.errors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.BadSqlException;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DataException;
import db.api.SystemErrorException;
import db.api.spi.ErrorContext;
import db.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The retry flags the issue fixed, raised for real: with RAISE SQLSTATE on the server (the message and
 * SQLSTATE the server sends), and by the real condition where one can be provoked.
 */
class RetryFlagsTest {
    private final PostgresErrorMapper mapper = new PostgresErrorMapper();

    private DataAccessException map(SQLException e) {
        return mapper.map(e, ErrorContext.DEFAULT).orElseThrow();
    }

    private DataAccessException failure(String sql) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            return map(e);
        }
        throw new AssertionError("did not fail: " + sql);
    }

    @ParameterizedTest(name = "{0} -> {1}, retryable {2}")
    @CsvSource({
        "08P01, db.api.BadSqlException, false",
        "08004, db.api.ConnectionRejectedException, false",
        "08007, db.api.TransactionOutcomeUnknownException, false",
        "57P04, db.api.ConnectionRejectedException, false",
        "25P03, db.api.ConnectionException, true",
        "57P05, db.api.ConnectionException, true",
        "28000, db.api.AuthenticationException, false",
        "28P01, db.api.AuthenticationException, false",
        "3D000, db.api.BadSqlException, false",
        "58000, db.api.SystemErrorException, false",
        "58030, db.api.SystemErrorException, false",
        "58P01, db.api.SystemErrorException, false",
        "58P02, db.api.SystemErrorException, false",
        "08006, db.api.ConnectionException, true",
    })
    void raisedOnTheServer(String code, String type, boolean retryable) throws SQLException {
        DataAccessException e = failure("DO $$ BEGIN RAISE SQLSTATE '" + code + "'; END $$");
        assertThat(e.getClass().getName()).isEqualTo(type);
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.sqlState()).isEqualTo(code);
    }

    @Test
    void nulByteInTheSqlTextIsBadSqlAndTheConnectionStaysUsable() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            DataAccessException e = null;
            try {
                s.execute("select 1\0");
            } catch (SQLException ex) {
                e = map(ex);
            }
            assertThat(e).isExactlyInstanceOf(BadSqlException.class);
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(e.isRetryable()).isFalse();
            assertThat(s.execute("select 1")).as("the connection is still usable").isTrue();
        }
    }

    @Test
    void nulByteInAParameterNamesTheEncodingAndTheByte() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); PreparedStatement p = c.prepareStatement("select ?::text")) {
            p.setString(1, "secret\0value");
            p.execute();
            throw new AssertionError("a NUL byte was accepted");
        } catch (SQLException ex) {
            DataAccessException e = map(ex);
            assertThat(e).isExactlyInstanceOf(DataException.class);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains("invalid byte sequence for encoding \"UTF8\": 0x00")
                    .doesNotContain("secret");
        }
    }

    @Test
    void idleInTransactionTimeoutEndsTheSessionAsAConnectionFailure() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("set idle_in_transaction_session_timeout = '100ms'");
            c.setAutoCommit(false);
            s.execute("select 1");
            long deadline = System.nanoTime() + 10_000_000_000L;
            DataAccessException e = null;
            while (e == null && System.nanoTime() < deadline) {
                Thread.sleep(200);
                try {
                    s.execute("select 1");
                } catch (SQLException ex) {
                    e = map(ex);
                }
            }
            assertThat(e).isInstanceOf(ConnectionException.class);
            assertThat(e.isRetryable()).isTrue();
        }
    }

    @Test
    void aMissingFileIsASystemError() throws SQLException {
        DataAccessException e = failure("select pg_read_file('/nonexistent-switchboard-" + System.nanoTime() + "')");
        assertThat(e).isExactlyInstanceOf(SystemErrorException.class);
        assertThat(e.sqlState()).isEqualTo("58P01");
        assertThat(e.isRetryable()).isFalse();
    }

    /** Connect-time refusals, as the driver reports them: the same classes as later, never retryable. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown database|/no_such_db_switchboard|3D000|db.api.BadSqlException",
        "unknown role|/DB|28000|db.api.AuthenticationException",
        "rejected startup parameter|/DB?options=-c%20statement_timeout%3D30d|22023|db.api.DataException",
        "SSL required by a server without SSL|/DB?sslmode=require|08004|db.api.ConnectionRejectedException",
    })
    void refusedAtConnect(String what, String path, String code, String type) throws Exception {
        TestDatabase db = TestDatabase.get();
        String base = db.jdbcUrl().replaceAll("/[^/?]*(\\?.*)?$", "");
        String database = db.jdbcUrl().replaceAll("^.*/([^/?]*)(\\?.*)?$", "$1");
        Properties p = new Properties();
        p.setProperty("user", what.equals("unknown role") ? "no_such_role_switchboard" : db.user());
        if (db.password() != null) {
            p.setProperty("password", db.password());
        }
        try {
            DriverManager.getConnection(base + path.replace("DB", database), p).close();
            throw new AssertionError(what + ": connected");
        } catch (SQLException ex) {
            DataAccessException e = map(ex);
            assertThat(e.sqlState()).as(what).isEqualTo(code);
            assertThat(e.getClass().getName()).as(what).isEqualTo(type);
            assertThat(e.isRetryable()).as(what).isFalse();
        }
    }
}
