package db.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Database;
import db.api.QueryTimeoutException;
import db.api.TransactionStateException;
import db.spring.boot.SwitchboardTransactionManager;
import db.testkit.TestSchema;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One transaction system: {@code @Transactional}, TransactionTemplate, JdbcTemplate and
 * {@code Database.inTransaction} on one thread share one connection and one transaction, in both
 * directions; REQUIRES_NEW and NESTED as Spring defines them.
 */
@SpringBootTest(classes = TestApp.class)
class TransactionsTest {
    private static final TestSchema SCHEMA = Fixture.schema("sbtx");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("db.url", () -> Fixture.urlWithUser(SCHEMA));
        registry.add("db.pool.max-size", () -> "4");
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Autowired
    Items items;
    @Autowired
    Database database;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    private TransactionTemplate template(int propagation) {
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        template.setPropagationBehavior(propagation);
        return template;
    }

    @Test
    void theStarterProvidesTheTransactionManager() {
        assertThat(transactionManager).isInstanceOf(SwitchboardTransactionManager.class);
    }

    @Test
    void transactionalCommitsAndRollsBack() throws SQLException {
        items.insertCommitted(101);
        assertThat(Fixture.rows(SCHEMA, 101)).isEqualTo(1);
        assertThatThrownBy(() -> items.insertThenFail(102)).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 102)).isZero();
    }

    /** The acceptance: Switchboard's write inside a rolled-back @Transactional method is gone. */
    @Test
    void aSwitchboardWriteInsideARolledBackTransactionalMethodIsGone() throws SQLException {
        assertThatThrownBy(() -> items.switchboardWriteThenFail(201)).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 201)).isZero();
        // and committed when the method returns
        template(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
            items.insertThroughSwitchboard(202);
            items.insert(203);
        });
        assertThat(Fixture.rows(SCHEMA, 202)).isEqualTo(1);
        assertThat(Fixture.rows(SCHEMA, 203)).isEqualTo(1);
    }

    @Test
    void jdbcTemplateAndSwitchboardShareOneConnectionInsideTransactional() {
        long[] pids = items.pidsInOneTransaction();
        assertThat(pids[0]).isEqualTo(pids[1]);
    }

    @Test
    void transactionalInsideInTransactionJoinsIt() throws SQLException {
        long[] pids = database.inTransaction(s -> new long[] {
                s.querySingle("select pg_backend_pid()", r -> r.getLong(1)), items.pidsInOneTransaction()[0]});
        assertThat(pids[0]).isEqualTo(pids[1]);

        // the rollback comes from Switchboard's side: both writes are undone
        assertThatThrownBy(() -> database.runInTransaction(s -> {
            s.execute("insert into items(id, name) values (301, 'switchboard')");
            items.insertCommitted(302);
            throw new Items.Boom();
        })).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 301)).isZero();
        assertThat(Fixture.rows(SCHEMA, 302)).isZero();

        // the rollback comes from Spring's side (the @Transactional method throws): both writes are undone
        assertThatThrownBy(() -> database.runInTransaction(s -> {
            s.execute("insert into items(id, name) values (303, 'switchboard')");
            items.insertThenFail(304);
        })).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 303)).isZero();
        assertThat(Fixture.rows(SCHEMA, 304)).isZero();

        // Spring's side failed and the exception was swallowed: the rollback-only mark still rolls back both
        assertThatThrownBy(() -> database.runInTransaction(s -> {
            s.execute("insert into items(id, name) values (305, 'switchboard')");
            try {
                items.insertThenFail(306);
            } catch (Items.Boom swallowed) {
                // Spring marked the joined transaction rollback-only
            }
        })).isInstanceOf(TransactionStateException.class).hasMessageContaining("rollback-only");
        assertThat(Fixture.rows(SCHEMA, 305)).isZero();
        assertThat(Fixture.rows(SCHEMA, 306)).isZero();

        // and both commit together
        database.runInTransaction(s -> {
            s.execute("insert into items(id, name) values (307, 'switchboard')");
            items.insertCommitted(308);
        });
        assertThat(Fixture.rows(SCHEMA, 307)).isEqualTo(1);
        assertThat(Fixture.rows(SCHEMA, 308)).isEqualTo(1);
    }

    @Test
    void plainJdbcTemplateInsideInTransactionJoinsItWithoutASpringTransaction() throws SQLException {
        assertThatThrownBy(() -> database.runInTransaction(s -> {
            jdbc.update("insert into items(id, name) values (321, 'jdbc')");
            long[] pids = {s.querySingle("select pg_backend_pid()", r -> r.getLong(1)), items.backendPid()};
            assertThat(pids[0]).isEqualTo(pids[1]);
            throw new Items.Boom();
        })).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 321)).isZero();
        // the joined connection's close() (DataSourceUtils releases it) did not end Switchboard's transaction
        database.runInTransaction(s -> {
            jdbc.update("insert into items(id, name) values (322, 'jdbc')");
            s.execute("insert into items(id, name) values (323, 'switchboard')");
        });
        assertThat(Fixture.rows(SCHEMA, 322)).isEqualTo(1);
        assertThat(Fixture.rows(SCHEMA, 323)).isEqualTo(1);
    }

    @Test
    void aSwitchboardFailureInsideTransactionalRollsBackTheWholeSpringTransaction() throws SQLException {
        assertThatThrownBy(() -> template(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
            items.insert(351);
            database.runInTransaction(s -> {
                s.execute("insert into items(id, name) values (352, 'switchboard')");
                throw new Items.Boom();
            });
        })).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 351)).isZero();
        assertThat(Fixture.rows(SCHEMA, 352)).isZero();
    }

    @Test
    void requiresNewCommitsIndependently() throws SQLException {
        assertThatThrownBy(() -> template(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
            items.insert(401);
            long outerPid = items.backendPid();
            items.insertInNewTransaction(402);
            // back in the outer transaction, on its own connection
            assertThat(items.backendPid()).isEqualTo(outerPid);
            throw new Items.Boom();
        })).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 401)).isZero();
        assertThat(Fixture.rows(SCHEMA, 402)).isEqualTo(1);

        // REQUIRES_NEW inside Database.inTransaction suspends Switchboard's transaction too
        assertThatThrownBy(() -> database.runInTransaction(s -> {
            s.execute("insert into items(id, name) values (403, 'switchboard')");
            items.insertInNewTransaction(404);
            throw new Items.Boom();
        })).isInstanceOf(Items.Boom.class);
        assertThat(Fixture.rows(SCHEMA, 403)).isZero();
        assertThat(Fixture.rows(SCHEMA, 404)).isEqualTo(1);
    }

    @Test
    void nestedRollsBackToASavepointAndKeepsTheOuterWrite() throws SQLException {
        template(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
            items.insert(501);
            assertThatThrownBy(() -> items.nestedInsertThenFail(502)).isInstanceOf(Items.Boom.class);
            items.insert(503);
        });
        assertThat(Fixture.rows(SCHEMA, 501)).isEqualTo(1);
        assertThat(Fixture.rows(SCHEMA, 502)).isZero();
        assertThat(Fixture.rows(SCHEMA, 503)).isEqualTo(1);

        // NESTED inside Database.inTransaction: a savepoint of Switchboard's transaction
        database.runInTransaction(s -> {
            s.execute("insert into items(id, name) values (504, 'switchboard')");
            assertThatThrownBy(() -> items.nestedInsertThenFail(505)).isInstanceOf(Items.Boom.class);
        });
        assertThat(Fixture.rows(SCHEMA, 504)).isEqualTo(1);
        assertThat(Fixture.rows(SCHEMA, 505)).isZero();
    }

    @Test
    void theTimeoutBoundsSwitchboardsStatementsInTheTransaction() {
        TransactionTemplate bounded = template(TransactionDefinition.PROPAGATION_REQUIRED);
        bounded.setTimeout(1);
        assertThatThrownBy(() -> bounded.executeWithoutResult(status ->
                database.runInTransaction(s -> s.execute("select pg_sleep(5)"))))
                .isInstanceOf(QueryTimeoutException.class);
        // SET LOCAL: the next transaction on the same pool is not bounded by it
        String after = database.inTransaction(s -> s.querySingle("show statement_timeout", r -> r.getString(1)));
        assertThat(after).isEqualTo("0");
    }

    @Test
    void readOnlyAndIsolationComeFromTheAnnotation() throws SQLException {
        assertThat(items.readOnlySetting()).isEqualTo("on");
        assertThatThrownBy(() -> items.insertReadOnly(601))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasCauseInstanceOf(TransactionStateException.class);
        assertThat(Fixture.rows(SCHEMA, 601)).isZero();
        assertThat(items.serializableSettings()).containsExactly("serializable", "serializable");
        // outside any transaction the session is back to read-write, default isolation
        assertThat(jdbc.queryForObject("show transaction_read_only", String.class)).isEqualTo("off");
    }
}
