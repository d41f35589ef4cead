package db.spring.boot.tests;

import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/** The test database behind the application's back: a schema with the items table, and the server's counts. */
final class Fixture {

    private Fixture() {
    }

    /** A fresh schema with {@code items(id int primary key, name text)}. */
    static TestSchema schema(String prefix) {
        TestSchema schema = TestDatabase.get().createSchema(prefix);
        schema.execute("create table items(id int primary key, name text not null)");
        return schema;
    }

    /** A JDBC URL of {@code schema} that carries the user too, for "only db.url is set". */
    static String urlWithUser(TestSchema schema) {
        String url = schema.jdbcUrl();
        String user = TestDatabase.get().user();
        return user == null ? url : url + (url.contains("?") ? "&" : "?") + "user=" + user;
    }

    /** A name unique to this run, for the pool and application_name. */
    static String uniqueName(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 32);
    }

    /** How many rows of items in {@code schema} have this id, read on a connection of its own. */
    static long rows(TestSchema schema, int id) throws SQLException {
        try (Connection c = TestDatabase.get().connect();
             PreparedStatement ps = c.prepareStatement("select count(*) from " + schema.name() + ".items where id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs one statement on a connection of its own (autocommit), behind the application's back. */
    static void execute(String sql) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
