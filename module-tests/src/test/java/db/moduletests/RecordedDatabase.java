package db.moduletests;

import db.api.Database;
import db.moduletests.RecordingInstrumenter.Recording;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;

/**
 * A database in a schema of its own with one table, whose pool has {@link RecordingInstrumenter} switched
 * on: for the tests of what the instrumenters are told.
 */
record RecordedDatabase(TestSchema schema, String table, Database db, Recording recording) implements AutoCloseable {

    /** Creates the schema and in it the table {@code createTable} makes (named {@code table}), then opens the pool. */
    static RecordedDatabase open(String schemaName, String table, String createTable) {
        TestSchema schema = TestDatabase.get().createSchema(schemaName);
        schema.execute(createTable);
        Database db = Database.open(Fixtures.config(schema).property(RecordingInstrumenter.RECORD, "true").build());
        return new RecordedDatabase(schema, table, db, RecordingInstrumenter.recording(db.config().poolName()));
    }

    /** Empties the table and the recording, so that each test sees only its own rows and events. */
    void reset() {
        schema.execute("truncate " + table);
        recording.clear();
    }

    /** Closes the pool, then drops the schema. */
    @Override
    public void close() {
        db.close();
        schema.close();
    }
}
