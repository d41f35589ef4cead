package db.benchmarks;

import db.api.RowMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/** The one JDBC round trip every query variant performs, so they differ only in where the connection comes from. */
final class Jdbc {
    static final RowMapper<String> NAME = row -> row.getString(1);

    private Jdbc() {
    }

    /** A random existing id: all 100 rows stay in cache, the index is hit every time. */
    static int anyId() {
        return ThreadLocalRandom.current().nextInt(1, BenchTarget.ROWS + 1);
    }

    /** Primary-key lookup through a freshly prepared statement (pgjdbc's per-connection cache makes it server-prepared). */
    static String lookup(Connection connection, int id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(BenchTarget.LOOKUP_SQL)) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row " + id + " in bench.item");
                }
                return rs.getString(1);
            }
        }
    }
}
