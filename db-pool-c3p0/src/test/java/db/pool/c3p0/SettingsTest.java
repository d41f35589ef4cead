package db.pool.c3p0;

import static db.pool.c3p0.PoolTestSupport.backendsUnchecked;
import static db.pool.c3p0.PoolTestSupport.config;
import static db.pool.c3p0.PoolTestSupport.uniqueAppName;
import static db.testkit.Conditions.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.core.standalone.StandaloneContext;
import db.api.spi.ConnectionPool;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each pool and driver setting, observed on the server or on the connection. */
@ExtendWith(CapturedLogCheck.class)
class SettingsTest {
    private static TestSchema schema;
    private static TestDatabase db;

    @BeforeAll
    static void schema() {
        db = TestDatabase.get();
        schema = db.createSchema("settings");
        schema.execute("CREATE TABLE person (id int PRIMARY KEY, email text)");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aDriverPropertyInTheUrlWinsOverTheProvidersDefault() throws Exception {
        // Application name, statement timeout and the default logServerErrorDetail=false are checked for
        // every provider by module-tests' PoolLifecycleTest; this is the c3p0 driver data source's precedence.
        String app = uniqueAppName("detail-on");
        try (ConnectionPool pool = new C3p0SessionProvider().start(StandaloneContext.of(config(schema, app)
                .url(schema.jdbcUrl() + "&logServerErrorDetail=true").minSize(1).maxSize(1).build()));
             Connection c = pool.borrow(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO person VALUES (1, 'alice@example.org')");
            Throwable duplicate = catchThrowable(() -> s.execute("INSERT INTO person VALUES (1, 'alice@example.org')"));
            assertThat(((SQLException) duplicate).getSQLState()).isEqualTo("23505");
            assertThat(duplicate.getMessage()).contains("(id)=(1)");
        }
    }

    @Test
    void connectionsAboveTheMinimumCloseAfterTheIdleTimeout() throws Exception {
        String app = uniqueAppName("idle");
        try (ConnectionPool pool = new C3p0SessionProvider().start(StandaloneContext.of(config(schema, app).minSize(1).maxSize(3)
                .idleTimeout(Duration.ofSeconds(1)).build()))) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(pool.borrow());
            }
            for (Connection c : held) {
                c.close();
            }
            assertThat(pool.counters().total()).isEqualTo(3);
            assertThat(eventually(Duration.ofSeconds(10), () -> pool.counters().total() == 1))
                    .as("back to the minimum: %s", pool.counters()).isTrue();
            assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 1)).isTrue();
            assertThat(eventually(Duration.ofSeconds(5), () -> pool.counters().closed() == 2))
                    .as("%s", pool.counters()).isTrue();
        }
    }

    @Test
    void connectionsAreRetiredAfterTheMaxLifetime() throws Exception {
        String app = uniqueAppName("lifetime");
        try (ConnectionPool pool = new C3p0SessionProvider().start(StandaloneContext.of(config(schema, app).minSize(1).maxSize(1)
                .maxLifetime(Duration.ofSeconds(1)).build()))) {
            int first;
            try (Connection c = pool.borrow()) {
                first = pid(c);
            }
            assertThat(eventually(Duration.ofSeconds(10), () -> pool.counters().closed() >= 1))
                    .as("retired: %s", pool.counters()).isTrue();
            try (Connection c = pool.borrow()) {
                assertThat(pid(c)).isNotEqualTo(first);
            }
        }
    }
}
