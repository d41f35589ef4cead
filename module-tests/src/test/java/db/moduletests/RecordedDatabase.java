package db.moduletests;

import db.api.Database;
import db.moduletests.RecordingInstrumenter.Recording;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database in a schema of its own with one table, whose pool has {@link RecordingInstrumenter} switched
 * on: for the tests of what the instrumenters are told. Registered as a static extension, it opens before
 * the class's first test, empties the table and the recording before each test, and closes after the last.
 */
final class RecordedDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final String schemaName;
    private final String table;
    private final String createTable;
    private TestSchema schema;
    private Database db;
    private Recording recording;

    /** A schema named {@code schemaName} with one table, {@code table}, of the given column definitions. */
    RecordedDatabase(String schemaName, String table, String columns) {
        this.schemaName = schemaName;
        this.table = table;
        this.createTable = "create table " + table + " (" + columns + ")";
    }

    /** Creates the schema and its table, then opens the pool. */
    @Override
    public void beforeAll(ExtensionContext context) {
        schema = TestDatabase.get().createSchema(schemaName);
        schema.execute(createTable);
        db = Database.open(Fixtures.config(schema).property(RecordingInstrumenter.RECORD, "true").build());
        recording = RecordingInstrumenter.recording(db.config().poolName());
    }

    /** Empties the table and the recording, so that each test sees only its own rows and events. */
    @Override
    public void beforeEach(ExtensionContext context) {
        schema.execute("truncate " + table);
        recording.clear();
    }

    /** Closes the pool, then drops the schema. */
    @Override
    public void afterAll(ExtensionContext context) {
        db.close();
        schema.close();
    }

    /** The pool, open between the class's first and last test. */
    Database db() {
        return db;
    }

    /** What the pool's instrumenter was told since the current test began. */
    Recording recording() {
        return recording;
    }
}
