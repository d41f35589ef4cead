package db.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Where the benchmarks connect, and the small table they read.
 *
 * <p>{@code DB_BENCH_URL} / {@code DB_BENCH_USER} / {@code DB_BENCH_PASSWORD} (environment) or
 * {@code db.bench.url} / {@code db.bench.user} / {@code db.bench.password} (system properties, which win;
 * JMH passes the launcher's {@code -D} options on to its forks) override the default
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres}.
 */
final class BenchTarget {
    /** Every pool in every benchmark has exactly this many connections, opened up front. */
    static final int POOL_SIZE = 8;
    static final String URL = setting("db.bench.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = setting("db.bench.user", "postgres");
    static final String PASSWORD = setting("db.bench.password", "");

    /** Rows in {@code bench.item}; lookups pick ids in {@code 1..ROWS}. */
    static final int ROWS = 100;
    static final String LOOKUP_SQL = "select name from bench.item where id = ?";

    static {
        // c3p0 logs through MLog; point every variant (not only Switchboard's provider) at the same quiet backend.
        if (System.getProperty("com.mchange.v2.log.MLog") == null) {
            System.setProperty("com.mchange.v2.log.MLog", "log4j2");
        }
    }

    private BenchTarget() {
    }

    private static String setting(String property, String defaultValue) {
        String fromProperty = System.getProperty(property);
        if (fromProperty != null) {
            return fromProperty;
        }
        String fromEnv = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
        return fromEnv != null ? fromEnv : defaultValue;
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    /** Creates schema {@code bench} with {@code bench.item(id, name)}, dropping a leftover from a killed run first. */
    static void createSchema() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists bench cascade");
            s.execute("create schema bench");
            s.execute("create table bench.item (id integer primary key, name text not null)");
            s.execute("insert into bench.item select g, 'item ' || g from generate_series(1, " + ROWS + ") g");
            s.execute("analyze bench.item");
        }
    }

    static void dropSchema() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists bench cascade");
        }
    }
}
