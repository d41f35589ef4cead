package db.moduletests;

import db.api.DbConfig;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The schema of one test class, registered as a static extension: created (with the tables the class asks
 * for) before its first test and dropped after its last. For the pool-behaviour suites it hands out configs
 * of pools named after their application, so that the server's view tells each pool's backends apart.
 */
final class PoolSchema implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final String createTables;
    private TestSchema schema;

    /** An empty schema named {@code name}. */
    PoolSchema(String name) {
        this(name, "");
    }

    /** A schema named {@code name} with the tables {@code createTables} makes. */
    PoolSchema(String name, String createTables) {
        this.name = name;
        this.createTables = createTables;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        schema = TestDatabase.get().createSchema(name);
        if (!createTables.isEmpty()) {
            schema.execute(createTables);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        schema.close();
    }

    /** The schema, there between the class's first and last test. */
    TestSchema schema() {
        return schema;
    }

    /** A config for the schema on {@code provider}, whose pool and application name are {@code app}. */
    DbConfig.Builder config(String provider, String app) {
        return Fixtures.config(schema, provider).poolName(app).applicationName(app);
    }
}
