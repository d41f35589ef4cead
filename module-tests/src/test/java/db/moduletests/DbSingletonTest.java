package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Db;
import db.api.PoolNotInitializedException;
import db.api.Session;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The process-wide {@link Db}; the only test class that touches it. */
class DbSingletonTest {
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("singleton");
        schema.execute("create table events (id serial primary key, name text)");
    }

    @AfterAll
    static void dropSchema() {
        Db.close();
        schema.close();
    }

    @Test
    void sessionBeforeInitSaysToCallInit() {
        Db.close();
        assertThat(Db.isInitialized()).isFalse();
        assertThatThrownBy(Db::session)
                .isInstanceOf(PoolNotInitializedException.class)
                .hasMessageContaining("Pool not initialized")
                .hasMessageContaining("Db.init(");
        assertThatThrownBy(() -> Db.inTransaction(s -> 1)).isInstanceOf(PoolNotInitializedException.class);
    }

    @Test
    void initSessionTransactionClose() {
        Db.init(Fixtures.config(schema).build());
        try {
            assertThatThrownBy(() -> Db.init(Fixtures.config(schema).build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already initialized");
            Db.runInTransaction(s -> s.execute("insert into events (name) values (?)", "started"));
            try (Session s = Db.session()) {
                assertThat(s.query("select name from events", r -> r.getString(1))).containsExactly("started");
            }
        } finally {
            Db.close();
        }
        assertThatThrownBy(Db::session).isInstanceOf(PoolNotInitializedException.class);
    }
}
