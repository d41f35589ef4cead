package db.bootapptest;

import db.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** The server's own count of a pool's connections, read behind the application's back. */
final class Backends {

    private Backends() {
    }

    /** Backends in {@code pg_stat_activity} with this {@code application_name}. */
    static long count(String applicationName) throws SQLException {
        try (Connection c = TestDatabase.get().connect();
             PreparedStatement ps = c.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Polls until none is left or {@code within} passed: a backend exits a moment after its client closed the socket. */
    static long awaitNone(String applicationName, Duration within) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long n = count(applicationName);
        while (n > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = count(applicationName);
        }
        return n;
    }
}
