package db.scaletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.Session;
import db.testkit.PgBouncer;
import db.testkit.PgCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Switchboard through a real PgBouncer 1.18 in transaction mode: with {@code db.pooler=pgbouncer-transaction}
 * statements run many times from several connections with zero errors (without it the driver's server-side
 * prepared statements collide), and what cannot work there is refused with a clear error.
 */
class PgBouncerTest {
    private static PgCluster cluster;
    private static PgBouncer bouncer;

    @BeforeAll
    static void start() {
        cluster = PgCluster.start();
        Standbys.execute(cluster, "create table visits (id int primary key, who text)");
        bouncer = PgBouncer.start(cluster.port(), PgBouncer.PoolMode.TRANSACTION);
    }

    @AfterAll
    static void stop() {
        if (bouncer != null) {
            bouncer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static DbConfig.Builder config(String name) {
        return DbConfig.builder()
                .url(bouncer.jdbcUrl(PgCluster.DATABASE))
                .user(PgCluster.USER)
                .poolName(name)
                .minSize(2)
                .maxSize(2)
                .checkoutTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(2));
    }

    /**
     * Two client connections take turns on PgBouncer's one server connection: each runs the same
     * parameterized query 20 times. Returns the failures.
     */
    private static List<DataAccessException> takeTurns(Database db) {
        List<DataAccessException> failures = new ArrayList<>();
        try (Session a = db.openSession(); Session b = db.openSession()) {
            for (int i = 0; i < 20; i++) {
                for (Session s : List.of(a, b)) {
                    try {
                        s.queryOne("select count(*) from visits where id > ?", row -> row.getLong(1), i);
                    } catch (DataAccessException e) {
                        failures.add(e);
                    }
                }
            }
        }
        return failures;
    }

    @Test
    void repeatedStatementsRunWithZeroErrorsBehindTheTransactionPooler() {
        try (Database db = Database.open(config("bouncer").property("db.pooler", "pgbouncer-transaction").build())) {
            assertThat(takeTurns(db)).as("failures behind PgBouncer with db.pooler set").isEmpty();
            for (int i = 0; i < 200; i++) {
                int id = i;
                db.runInTransaction(s -> {
                    s.execute("insert into visits values (?, ?)", id, "v" + id);
                    assertThat(s.queryOne("select who from visits where id = ?", row -> row.getString(1), id))
                            .as("the transaction reads its own insert").contains("v" + id);
                });
            }
            java.util.Optional<Long> count = db.inTransaction(s -> s.queryOne("select count(*) from visits",
                    row -> row.getLong(1)));
            assertThat(count).contains(200L);
            assertThat(db.health().healthy()).isTrue();
        } finally {
            Standbys.execute(cluster, "truncate visits");
        }
    }

    @Test
    void withoutThePoolerKeyTheDriversPreparedStatementsCollide() {
        // The control: the same work without db.pooler fails, so the test above can fail too.
        try (Database db = Database.open(config("bouncer-plain").build())) {
            List<DataAccessException> failures = takeTurns(db);
            assertThat(failures).as("prepared statements of two clients on one server connection").isNotEmpty();
            assertThat(failures.get(0).sqlState()).isIn("42P05", "26000");
        }
    }

    @Test
    void sessionStateIsRefusedWithAClearErrorAndTransactionScopedStatePasses() throws SQLException {
        try (Database db = Database.open(config("bouncer-refuse").property("db.pooler", "pgbouncer-transaction")
                .build()); Session s = db.openSession()) {
            for (String sql : List.of("SET statement_timeout = 1000", "set search_path to public",
                    "SET SESSION work_mem = '8MB'", "RESET work_mem", "LISTEN news", "select pg_advisory_lock(42)",
                    "select pg_try_advisory_lock(42)", "DECLARE c CURSOR WITH HOLD FOR select 1",
                    "PREPARE p AS select 1", "DISCARD ALL", "/* comment */ SET timezone = 'UTC'")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql)
                        .isInstanceOf(DataAccessException.class)
                        .hasMessageContaining("Refused")
                        .hasMessageContaining("db.pooler=pgbouncer-transaction");
            }
            // Through the JDBC connection too, before anything reaches the server.
            Connection c = s.connection();
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("SET work_mem = '8MB'")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("SET LOCAL");
            }
            db.runInTransaction(tx -> {
                tx.execute("SET LOCAL statement_timeout = 1000");
                tx.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
                tx.execute("select pg_advisory_xact_lock(42)");
                tx.execute("DECLARE c CURSOR FOR select 1");
                assertThat(tx.queryOne("show statement_timeout", row -> row.getString(1))).contains("1s");
            });
        }
    }

    @Test
    void aConflictingPrepareThresholdIsAConfigurationError() {
        assertThatThrownBy(() -> Database.open(config("bouncer-conflict")
                .url(bouncer.jdbcUrl(PgCluster.DATABASE) + "?prepareThreshold=5")
                .property("db.pooler", "pgbouncer-transaction").build()))
                .isInstanceOf(db.api.ConfigException.class)
                .hasMessageContaining("prepareThreshold=5");
        assertThatThrownBy(() -> Database.open(config("bouncer-bad").property("db.pooler", "odyssey").build()))
                .isInstanceOf(db.api.ConfigException.class)
                .hasMessageContaining("db.pooler");
    }
}
