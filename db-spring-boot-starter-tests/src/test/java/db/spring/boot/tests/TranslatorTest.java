package db.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.BadSqlException;
import db.api.SerializationFailureException;
import db.spring.boot.SwitchboardExceptionTranslator;
import db.testkit.TestSchema;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** JdbcTemplate's exceptions go through Switchboard's error mappers, with Switchboard's exception as the cause. */
@SpringBootTest(classes = TestApp.class)
class TranslatorTest {
    private static final TestSchema SCHEMA = Fixture.schema("sbtr");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("db.url", () -> Fixture.urlWithUser(SCHEMA));
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void theAutoConfiguredJdbcTemplateUsesSwitchboardsTranslator() {
        assertThat(jdbc.getExceptionTranslator()).isInstanceOf(SwitchboardExceptionTranslator.class);
    }

    @Test
    void aDuplicateKeyIsSpringsDuplicateKeyExceptionCausedBySwitchboards() {
        jdbc.update("insert into items(id, name) values (1, 'first')");
        assertThatThrownBy(() -> jdbc.update("insert into items(id, name) values (1, 'private value')"))
                .isInstanceOf(DuplicateKeyException.class)
                .satisfies(e -> {
                    assertThat(e.getCause()).isInstanceOf(db.api.DuplicateKeyException.class);
                    db.api.DuplicateKeyException cause = (db.api.DuplicateKeyException) e.getCause();
                    assertThat(cause.constraint()).contains("items_pkey");
                    assertThat(cause.table()).contains("items");
                    assertThat(cause.sqlState()).isEqualTo("23505");
                    // the row's values (the server's DETAIL) are not in Switchboard's message
                    assertThat(e.getMessage()).doesNotContain("private value");
                });
    }

    @Test
    void aSerializationFailureIsAPessimisticLockingFailureCausedBySwitchboards() throws SQLException {
        jdbc.update("insert into items(id, name) values (2, 'before')");
        TransactionTemplate serializable = new TransactionTemplate(transactionManager);
        serializable.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
        assertThatThrownBy(() -> serializable.executeWithoutResult(status -> {
            // the snapshot is taken here; a concurrent commit then changes the row it is about to update
            jdbc.queryForObject("select name from items where id = 2", String.class);
            try {
                Fixture.execute("update " + SCHEMA.name() + ".items set name = 'concurrent' where id = 2");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            jdbc.update("update items set name = 'mine' where id = 2");
        })).isInstanceOf(PessimisticLockingFailureException.class)
                .satisfies(e -> {
                    assertThat(e.getCause()).isInstanceOf(SerializationFailureException.class);
                    SerializationFailureException cause = (SerializationFailureException) e.getCause();
                    assertThat(cause.sqlState()).isEqualTo("40001");
                    assertThat(cause.isRetryable()).isTrue();
                });
        assertThat(jdbc.queryForObject("select name from items where id = 2", String.class)).isEqualTo("concurrent");
    }

    @Test
    void badSqlIsBadSqlGrammarExceptionWithSwitchboardsExceptionAlongside() {
        assertThatThrownBy(() -> jdbc.queryForObject("select no_such_column from items", Long.class))
                .isInstanceOf(BadSqlGrammarException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(BadSqlException.class));
    }
}
