package db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The throwaway cluster: created, stopped and started every way, crashed, removed. */
class PgClusterTest {

    private static PgCluster cluster;

    @BeforeAll
    static void start() throws SQLException {
        cluster = PgCluster.builder().setting("max_connections", "20").start();
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runsOnItsOwnPortWithTheRequestedSettings() throws SQLException {
        assertThat(cluster.port()).isNotEqualTo(5432);
        assertThat(cluster.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/test");
        try (Connection c = cluster.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW max_connections")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("20");
        }
    }

    @Test
    void everyKindOfStopKeepsCommittedRows() throws SQLException {
        insert(1);
        cluster.restartFast();
        insert(2);
        cluster.stopImmediate();
        assertThat(cluster.running()).isFalse();
        assertThat(cluster.answers()).isFalse();
        cluster.startAgain();
        insert(3);
        cluster.crash();
        assertThat(cluster.running()).isFalse();
        assertThatThrownBy(cluster::connect).isInstanceOf(SQLException.class);
        cluster.startAgain(); // crash recovery
        try (Connection c = cluster.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM kept WHERE id IN (1, 2, 3)")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void closeStopsTheServerAndRemovesItsDirectory() {
        PgCluster other = PgCluster.start();
        Path data = Path.of(other.dataDirectory());
        assertThat(Files.isDirectory(data)).isTrue();
        assertThat(other.answers()).isTrue();
        other.close();
        assertThat(other.answers()).isFalse();
        assertThat(Files.exists(data.getParent())).isFalse();
        other.close(); // idempotent
    }

    private static void insert(int id) throws SQLException {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO kept VALUES (" + id + ")");
        }
    }
}
