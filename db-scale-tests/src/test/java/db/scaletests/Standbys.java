package db.scaletests;

import db.api.Database;
import db.api.PoolStatus;
import db.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers shared by the scale-out tests: waiting for replication and for the router's probe. */
final class Standbys {
    private Standbys() {
    }

    /** A throwaway primary with one streaming standby; closing stops and removes both. */
    record Pair(PgCluster primary, PgCluster standby) implements AutoCloseable {

        /** Starts the primary, runs {@code setup} on it, and starts a standby that has replayed it. */
        static Pair start(String... setup) {
            PgCluster primary = PgCluster.start();
            try {
                execute(primary, setup);
                PgCluster standby = primary.startStandby();
                awaitReplayed(primary, standby);
                return new Pair(primary, standby);
            } catch (RuntimeException | Error e) {
                primary.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                standby.close();
            } finally {
                primary.close();
            }
        }
    }

    /** Waits (bounded) until {@code condition} holds; fails with {@code what} otherwise. */
    static Duration await(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            sleep(20);
        }
        throw new AssertionError("Not within " + timeout.toMillis() + " ms: " + what);
    }

    /** Waits until the standby has replayed everything the primary has written so far. */
    static void awaitReplayed(PgCluster primary, PgCluster standby) {
        String lsn = single(primary, "SELECT pg_current_wal_lsn()::text");
        await("standby replays up to " + lsn, Duration.ofSeconds(30), () ->
                "t".equals(single(standby, "SELECT (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text")
                        .substring(0, 1)));
    }

    /** Whether the database's standby pool (there is one) is in rotation. */
    static boolean replicaInRotation(Database db) {
        return db.pools().stream().filter(p -> p.role() == PoolStatus.Role.REPLICA).allMatch(PoolStatus::inRotation);
    }

    /** Runs a one-value query on a direct connection to {@code cluster}. */
    static String single(PgCluster cluster, String sql) {
        try (Connection c = cluster.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + cluster + ": " + e.getMessage(), e);
        }
    }

    /** Runs statements on a direct connection to {@code cluster}. */
    static void execute(PgCluster cluster, String... sql) {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("setup failed on " + cluster + ": " + e.getMessage(), e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
