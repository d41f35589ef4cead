package db.bootapptest;

import db.testkit.TestDatabase;
import db.testkit.TestSchema;

/**
 * A test class's schema, created when the application first reads {@code db.url}: by then Boot has set up
 * its logging, so the test kit's search for a database logs through Boot's Logback configuration (INFO)
 * instead of Logback's unconfigured DEBUG default.
 */
final class LazySchema implements AutoCloseable {

    private final String prefix;
    private TestSchema schema;

    LazySchema(String prefix) {
        this.prefix = prefix;
    }

    synchronized TestSchema get() {
        if (schema == null) {
            schema = TestDatabase.get().createSchema(prefix);
        }
        return schema;
    }

    @Override
    public synchronized void close() {
        if (schema != null) {
            schema.close();
            schema = null;
        }
    }
}
