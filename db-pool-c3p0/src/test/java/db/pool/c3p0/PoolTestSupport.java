package db.pool.c3p0;

import db.api.DbConfig;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** What the pool tests share: configs against the test database and looks behind the pool's back. */
final class PoolTestSupport {
    /** A password that must never show up in a message or a log line. */
    static final String PASSWORD_SENTINEL = "pw-SENTINEL-7f3a91";

    private PoolTestSupport() {
    }

    /** A unique application name, so pg_stat_activity tells this pool's backends apart. */
    static String uniqueAppName(String prefix) {
        return ("sbtest-" + prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL))
                .toLowerCase(Locale.ROOT);
    }

    /** A builder for the test database, in the schema, with a unique application name. */
    static DbConfig.Builder config(TestSchema schema, String appName) {
        DbConfig.Builder b = DbConfig.builder().url(schema.jdbcUrl()).applicationName(appName).poolName(appName);
        schema.database().credentials(b::user, b::password);
        return b;
    }

    /** Backends with this application name, counted by the server. */
    static int backends(TestDatabase db, String appName) throws SQLException {
        return Math.toIntExact(db.backends(appName));
    }

    /** Kills every backend with this application name; returns how many. */
    static int killBackends(TestDatabase db, String appName) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, appName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Runs a trivial query on a borrowed connection. */
    static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** {@link #backends} for use in conditions. */
    static int backendsUnchecked(TestDatabase db, String appName) {
        try {
            return backends(db, appName);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
