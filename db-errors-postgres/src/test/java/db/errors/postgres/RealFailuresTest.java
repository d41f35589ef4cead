package db.errors.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import db.api.BadSqlException;
import db.api.CheckViolationException;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DataException;
import db.api.DeadlockDetectedException;
import db.api.DuplicateKeyException;
import db.api.ExclusionViolationException;
import db.api.ForeignKeyViolationException;
import db.api.IncorrectResultSizeException;
import db.api.LockNotAvailableException;
import db.api.NotNullViolationException;
import db.api.PermissionDeniedException;
import db.api.QueryCanceledException;
import db.api.QueryTimeoutException;
import db.api.SerializationFailureException;
import db.api.TransactionStateException;
import db.api.spi.ErrorContext;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.net.ServerSocket;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real failures provoked on the real server, mapped by {@link PostgresErrorMapper}. */
class RealFailuresTest {

    private static TestSchema schema;
    private static ExecutorService pool;
    private final PostgresErrorMapper mapper = new PostgresErrorMapper();

    @BeforeAll
    static void createTables() {
        schema = TestDatabase.get().createSchema("errors_real");
        schema.execute("""
                CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL CONSTRAINT users_email_key UNIQUE);
                CREATE TABLE orders (id serial PRIMARY KEY,
                    user_id int CONSTRAINT orders_user_fk REFERENCES users(id),
                    qty int CONSTRAINT orders_qty_positive CHECK (qty > 0));
                CREATE TABLE bookings (id serial PRIMARY KEY, during int4range,
                    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&));
                CREATE TABLE counters (k int PRIMARY KEY, v int NOT NULL);
                INSERT INTO counters VALUES (1, 0), (2, 0), (3, 0);
                CREATE TABLE ledger (k int, v int);
                """);
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void dropTables() {
        pool.shutdownNow();
        schema.close();
    }

    private static Connection connect() throws SQLException {
        Properties props = new Properties();
        TestDatabase db = TestDatabase.get();
        if (db.user() != null) {
            props.setProperty("user", db.user());
        }
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        return DriverManager.getConnection(schema.jdbcUrl(), props);
    }

    private DataAccessException failing(String... sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> {
                for (String each : sql) {
                    s.execute(each);
                }
            });
            assertThat((Throwable) e).as("expected the SQL to fail").isNotNull();
            return map(e);
        }
    }

    private DataAccessException map(SQLException e) {
        DataAccessException mapped = mapper.map(e, ErrorContext.DEFAULT).orElseThrow();
        assertThat(mapped.getCause()).isSameAs(e);
        return mapped;
    }

    @Test
    void uniqueViolation() throws SQLException {
        String email = "unique-" + ThreadLocalRandom.current().nextInt(1_000_000) + "@example.com";
        DataAccessException e = failing("INSERT INTO users(email) VALUES ('" + email + "')",
                "INSERT INTO users(email) VALUES ('" + email + "')");
        assertThat(e).isExactlyInstanceOf(DuplicateKeyException.class);
        assertThat(e.sqlState()).isEqualTo("23505");
        assertThat(e.constraint()).contains("users_email_key");
        assertThat(e.table()).contains("users");
        assertThat(e.schema()).contains(schema.name());
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).startsWith("unique_violation (23505): duplicate key value violates unique constraint")
                .contains("constraint=users_email_key").contains("table=users").doesNotContain(email);
    }

    @Test
    void foreignKeyViolation() throws SQLException {
        DataAccessException e = failing("INSERT INTO orders(user_id, qty) VALUES (-42, 1)");
        assertThat(e).isExactlyInstanceOf(ForeignKeyViolationException.class);
        assertThat(e.constraint()).contains("orders_user_fk");
        assertThat(e.table()).contains("orders");
        assertThat(e.getMessage()).doesNotContain("-42");
    }

    @Test
    void notNullViolationNamesTheColumn() throws SQLException {
        DataAccessException e = failing("INSERT INTO users(email) VALUES (NULL)");
        assertThat(e).isExactlyInstanceOf(NotNullViolationException.class);
        assertThat(e.column()).contains("email");
        assertThat(e.table()).contains("users");
        assertThat(e.getMessage()).contains("column=email");
    }

    @Test
    void checkViolation() throws SQLException {
        DataAccessException e = failing("INSERT INTO orders(qty) VALUES (-7777)");
        assertThat(e).isExactlyInstanceOf(CheckViolationException.class);
        assertThat(e.constraint()).contains("orders_qty_positive");
        assertThat(e.table()).contains("orders");
        assertThat(e.getMessage()).doesNotContain("-7777"); // the DETAIL says "Failing row contains (..., -7777)"
    }

    @Test
    void exclusionViolation() throws SQLException {
        DataAccessException e = failing("INSERT INTO bookings(during) VALUES (int4range(100, 200))",
                "INSERT INTO bookings(during) VALUES (int4range(150, 250))");
        assertThat(e).isExactlyInstanceOf(ExclusionViolationException.class);
        assertThat(e.constraint()).contains("bookings_no_overlap");
        assertThat(e.table()).contains("bookings");
        assertThat(e.getMessage()).doesNotContain("150");
    }

    @Test
    void serializationFailureFromTwoSerializableTransactions() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement();
             Statement sb = b.createStatement()) {
            for (Connection c : List.of(a, b)) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            // write skew: each reads what the other writes
            sa.executeQuery("SELECT sum(v) FROM ledger WHERE k = 1").close();
            sb.executeQuery("SELECT sum(v) FROM ledger WHERE k = 2").close();
            // the server may detect the cycle at the second write or at a commit: whichever comes first
            SQLException failure = catchThrowableOfType(SQLException.class, () -> {
                sa.executeUpdate("INSERT INTO ledger VALUES (2, 1)");
                sb.executeUpdate("INSERT INTO ledger VALUES (1, 1)");
                a.commit();
                b.commit();
            });
            assertThat((Throwable) failure).isNotNull();
            DataAccessException e = map(failure);
            assertThat(e).isExactlyInstanceOf(SerializationFailureException.class);
            assertThat(e.sqlState()).isEqualTo("40001");
            assertThat(e.isRetryable()).isTrue();
            a.rollback();
            b.rollback();
        }
    }

    @Test
    void deadlockFromOppositeLockOrder() throws Exception {
        try (Connection a = connect(); Connection b = connect()) {
            for (Connection c : List.of(a, b)) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET deadlock_timeout = '100ms'");
                }
            }
            CyclicBarrier bothLocked = new CyclicBarrier(2);
            Future<SQLException> fa = pool.submit(lockInOrder(a, 1, 2, bothLocked));
            Future<SQLException> fb = pool.submit(lockInOrder(b, 2, 1, bothLocked));
            SQLException ea = fa.get(30, TimeUnit.SECONDS);
            SQLException eb = fb.get(30, TimeUnit.SECONDS);
            assertThat(ea == null ^ eb == null).as("exactly one transaction is the deadlock victim").isTrue();
            DataAccessException e = map(ea != null ? ea : eb);
            assertThat(e).isExactlyInstanceOf(DeadlockDetectedException.class);
            assertThat(e.sqlState()).isEqualTo("40P01");
            assertThat(e.isRetryable()).isTrue();
        }
    }

    private static Callable<SQLException> lockInOrder(Connection c, int first, int second, CyclicBarrier barrier) {
        return () -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counters SET v = v + 1 WHERE k = " + first);
                barrier.await(10, TimeUnit.SECONDS);
                s.executeUpdate("UPDATE counters SET v = v + 1 WHERE k = " + second);
                c.rollback();
                return null;
            } catch (SQLException e) {
                c.rollback();
                return e;
            }
        };
    }

    @Test
    void lockTimeoutIsLockNotAvailable() throws Exception {
        try (Connection holder = connect(); Statement hs = holder.createStatement()) {
            holder.setAutoCommit(false);
            hs.executeQuery("SELECT * FROM counters WHERE k = 3 FOR UPDATE").close();
            DataAccessException e = failing("SET lock_timeout = '100ms'", "SELECT * FROM counters WHERE k = 3 FOR UPDATE");
            assertThat(e).isExactlyInstanceOf(LockNotAvailableException.class);
            assertThat(e.sqlState()).isEqualTo("55P03");
            assertThat(e.isRetryable()).isTrue();
            holder.rollback();
        }
    }

    @Test
    void statementTimeoutIsQueryTimeout() throws SQLException {
        DataAccessException e = failing("SET statement_timeout = '100ms'", "SELECT pg_sleep(5)");
        assertThat(e).isExactlyInstanceOf(QueryTimeoutException.class);
        assertThat(e.sqlState()).isEqualTo("57014");
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void jdbcQueryTimeoutIsQueryTimeout() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            long start = System.nanoTime();
            SQLException failure = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT pg_sleep(10)"));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat((Throwable) failure).isNotNull();
            assertThat(failure.getSQLState()).isEqualTo("57014");
            // pgjdbc enforces the timeout with a cancel request: only the context can tell
            ErrorContext ctx = new ErrorContext(false, elapsed, Duration.ofSeconds(1), Duration.ZERO);
            DataAccessException e = mapper.map(failure, ctx).orElseThrow();
            assertThat(e).isExactlyInstanceOf(QueryTimeoutException.class);
            assertThat(e.isRetryable()).isTrue();
            assertThat(mapper.map(failure, ErrorContext.DEFAULT).orElseThrow())
                    .isExactlyInstanceOf(QueryCanceledException.class);
        }
    }

    @Test
    void cancelBackendIsQueryCanceled() throws Exception {
        try (Connection victim = connect(); Connection admin = connect()) {
            int pid = backendPid(victim);
            long start = System.nanoTime();
            Future<SQLException> running = pool.submit(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SELECT pg_sleep(30)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            awaitRunning(admin, pid);
            try (Statement s = admin.createStatement()) {
                s.execute("SELECT pg_cancel_backend(" + pid + ")");
            }
            SQLException failure = running.get(20, TimeUnit.SECONDS);
            assertThat((Throwable) failure).isNotNull();
            ErrorContext ctx = new ErrorContext(false, Duration.ofNanos(System.nanoTime() - start),
                    Duration.ZERO, Duration.ofMinutes(5));
            DataAccessException e = mapper.map(failure, ctx).orElseThrow();
            assertThat(e).isExactlyInstanceOf(QueryCanceledException.class);
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.isRetryable()).isFalse();
        }
    }

    @Test
    void terminateBackendIsConnectionException() throws Exception {
        try (Connection victim = connect(); Connection admin = connect()) {
            int pid = backendPid(victim);
            Future<SQLException> running = pool.submit(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SELECT pg_sleep(30)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            awaitRunning(admin, pid);
            try (Statement s = admin.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            SQLException failure = running.get(20, TimeUnit.SECONDS);
            assertThat((Throwable) failure).isNotNull();
            DataAccessException e = map(failure);
            assertThat(e).isExactlyInstanceOf(ConnectionException.class);
            assertThat(e.isRetryable()).isTrue();
            // the next use of the dead connection fails on the client side: still a connection problem
            SQLException next = catchThrowableOfType(SQLException.class, () -> victim.createStatement().execute("SELECT 1"));
            assertThat((Throwable) next).isNotNull();
            assertThat(map(next)).isExactlyInstanceOf(ConnectionException.class);
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitRunning(Connection admin, int pid) throws Exception {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT 1 FROM pg_stat_activity WHERE pid = ? AND state = 'active' AND query LIKE '%pg_sleep%'")) {
            ps.setInt(1, pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("backend " + pid + " never started its query");
    }

    @Test
    void writeInReadOnlyTransaction() throws SQLException {
        DataAccessException e = failing("BEGIN READ ONLY", "INSERT INTO ledger VALUES (9, 9)");
        assertThat(e).isExactlyInstanceOf(TransactionStateException.class);
        assertThat(e.sqlState()).isEqualTo("25006");
    }

    @Test
    void syntaxErrorAndUndefinedTable() throws SQLException {
        DataAccessException syntax = failing("SELEC 1");
        assertThat(syntax).isExactlyInstanceOf(BadSqlException.class);
        assertThat(syntax.sqlState()).isEqualTo("42601");
        DataAccessException undefined = failing("SELECT * FROM no_such_table");
        assertThat(undefined).isExactlyInstanceOf(BadSqlException.class);
        assertThat(undefined.sqlState()).isEqualTo("42P01");
        assertThat(undefined.getMessage()).contains("no_such_table");
    }

    @Test
    void literalsEchoedByTheParserAreHidden() throws SQLException {
        DataAccessException e = failing("SELECT 'a' 'secret-literal'");
        assertThat(e).isExactlyInstanceOf(BadSqlException.class);
        assertThat(e.getMessage()).doesNotContain("secret-literal");
    }

    @Test
    void invalidInputHidesTheValue() throws SQLException {
        DataAccessException e = failing("SELECT 'not-a-number-7'::int");
        assertThat(e).isExactlyInstanceOf(DataException.class);
        assertThat(e.sqlState()).isEqualTo("22P02");
        assertThat(e.getMessage()).isEqualTo("invalid_text_representation (22P02): "
                + "invalid input syntax for type integer: \"?\"");
    }

    @Test
    void strictSelectIntoWithManyRowsIsIncorrectResultSize() throws SQLException {
        DataAccessException e = failing("DO $$ DECLARE x int; BEGIN SELECT k INTO STRICT x FROM counters; END $$");
        assertThat(e).isExactlyInstanceOf(IncorrectResultSizeException.class);
        assertThat(e.sqlState()).isEqualTo("P0003");
    }

    @Test
    void subqueryWithManyRowsIsADataException() throws SQLException {
        DataAccessException e = failing("SELECT (SELECT k FROM counters)");
        assertThat(e).isExactlyInstanceOf(DataException.class);
        assertThat(e.sqlState()).isEqualTo("21000");
    }

    @Test
    void aWrappedDriverExceptionIsFoundDownTheCauseChain() throws SQLException {
        DataAccessException direct = failing("INSERT INTO orders(qty) VALUES (0)");
        SQLException driver = (SQLException) direct.getCause();
        SQLException wrapper = new SQLException("wrapped by a pool", "08000", driver);
        DataAccessException e = map(wrapper);
        assertThat(e).isExactlyInstanceOf(CheckViolationException.class);
        assertThat(e.constraint()).contains("orders_qty_positive");
        assertThat(e.getCause()).isSameAs(wrapper);
    }

    @Test
    void permissionDeniedThroughARoleWithoutGrants() throws SQLException {
        String role = ("t_errors_nogrants_" + Integer.toHexString(ThreadLocalRandom.current().nextInt()))
                .toLowerCase(Locale.ROOT).replace('-', '_');
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " NOLOGIN");
            try {
                s.execute("GRANT USAGE ON SCHEMA " + schema.name() + " TO " + role);
                s.execute("SET ROLE " + role);
                SQLException failure = catchThrowableOfType(SQLException.class,
                        () -> s.executeQuery("SELECT * FROM users").close());
                assertThat((Throwable) failure).isNotNull();
                DataAccessException e = map(failure);
                assertThat(e).isExactlyInstanceOf(PermissionDeniedException.class);
                assertThat(e.sqlState()).isEqualTo("42501");
            } finally {
                s.execute("RESET ROLE");
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void failingBatchMapsToTheRealCause() throws SQLException {
        String email = "batch-" + ThreadLocalRandom.current().nextInt(1_000_000) + "@example.com";
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO users(email) VALUES (?)")) {
            for (String each : List.of(email + ".a", email, email)) {
                ps.setString(1, each);
                ps.addBatch();
            }
            BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class, ps::executeBatch);
            assertThat((Throwable) failure).isNotNull();
            DataAccessException e = map(failure);
            assertThat(e).isExactlyInstanceOf(DuplicateKeyException.class);
            assertThat(e.constraint()).contains("users_email_key");
            assertThat(e.getCause()).isSameAs(failure);
            assertThat(e.getMessage()).doesNotContain(email);
        }
    }

    @Test
    void connectionRefusedOnAClosedPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SQLException failure = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/test?connectTimeout=5", "nobody", "pw-never-shown"));
        assertThat((Throwable) failure).isNotNull();
        DataAccessException e = map(failure);
        assertThat(e).isExactlyInstanceOf(ConnectionException.class);
        assertThat(e.sqlState()).isEqualTo("08001");
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).startsWith("sqlclient_unable_to_establish_sqlconnection (08001)")
                .contains(String.valueOf(port)).doesNotContain("pw-never-shown");
    }

    @Test
    void exceptionsFromOtherDriversAreNotMine() {
        assertThat(mapper.map(new SQLException("x", "23505"), ErrorContext.DEFAULT)).isEmpty();
        assertThat(mapper.name()).isEqualTo("postgres");
        assertThat(mapper.priority()).isEqualTo(100);
    }

}
