package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * From a module that requires only db.api, ServiceLoader finds the providers on the module path.
 * Surefire also runs this class with everything on the class path (execution {@code classpath-mode}),
 * where the same providers come from META-INF/services.
 */
class DiscoveryTest {
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("discovery");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Test
    void serviceLoaderFindsEveryProvider() {
        try (Database db = Database.open(Fixtures.config(schema).build())) {
            assertThat(db.providers().sessionProvider()).isEqualTo("c3p0");
            assertThat(db.providers().errorMappers()).containsExactly("postgres", "sqlstate-class");
            assertThat(db.providers().instrumenters()).containsExactly("opentelemetry", "recording");
            try (var session = db.openSession()) {
                assertThat(session.queryOne("select 40 + ?", row -> row.getInt(1), 2)).contains(42);
            }
        }
    }

    @Test
    void runsWhereSurefireSaysItRuns() {
        // Module path: this test is patched into db.moduletests and db.api is a named module.
        // Class path (execution classpath-mode): both are in the unnamed module.
        boolean modulePath = System.getProperty("jdk.module.path") != null;
        System.out.println((modulePath ? "[module path] module-tests run inside module " : "[class path] module-tests run in ")
                + DiscoveryTest.class.getModule());
        assertThat(DiscoveryTest.class.getModule().isNamed()).isEqualTo(modulePath);
        assertThat(Database.class.getModule().isNamed()).isEqualTo(modulePath);
        if (modulePath) {
            assertThat(DiscoveryTest.class.getModule().getName()).isEqualTo("db.moduletests");
            assertThat(Database.class.getModule().getName()).isEqualTo("db.api");
        }
    }
}
