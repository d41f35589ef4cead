package db.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A schema owned by one test class; {@link #close()} drops it with everything in it. */
public final class TestSchema implements AutoCloseable {
    private final TestDatabase database;
    private final String name;

    TestSchema(TestDatabase database, String name) {
        this.database = database;
        this.name = name;
    }

    /** The schema's name. */
    public String name() {
        return name;
    }

    /** The JDBC URL with {@code currentSchema} set to this schema. */
    public String jdbcUrl() {
        return database.jdbcUrlWithSchema(name);
    }

    /** The database it lives in. */
    public TestDatabase database() {
        return database;
    }

    /** Runs setup SQL (one or more statements separated by semicolons) in this schema. */
    public void execute(String sql) {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + name);
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Setup SQL failed in " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test schema " + name + ": " + e.getMessage(), e);
        }
    }
}
