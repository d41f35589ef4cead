package db.pool.c3p0;

import static db.pool.c3p0.PoolTestSupport.backendsUnchecked;
import static db.pool.c3p0.PoolTestSupport.config;
import static db.pool.c3p0.PoolTestSupport.eventually;
import static db.pool.c3p0.PoolTestSupport.killBackends;
import static db.pool.c3p0.PoolTestSupport.selectOne;
import static db.pool.c3p0.PoolTestSupport.uniqueAppName;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.spi.ConnectionPool;
import db.testkit.TcpProxy;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Backends die under the pool (killed, or the network cut); later checkouts must not notice. */
class HealingTest {
    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestDatabase.get().createSchema("healing");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void afterEveryBackendIsKilledTheNextCheckoutsWorkWithoutAnError() throws Exception {
        String app = uniqueAppName("heal");
        TestDatabase db = schema.database();
        try (ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app)
                .minSize(3).maxSize(4).checkoutTimeout(Duration.ofSeconds(5)).build())) {
            // Fill the pool: every connection has been used once and is idle now.
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(pool.borrow());
            }
            for (Connection c : held) {
                assertThat(selectOne(c)).isEqualTo(1);
                c.close();
            }
            assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) >= 3)).isTrue();
            long createdBefore = pool.stats().created();

            assertThat(killBackends(db, app)).isGreaterThanOrEqualTo(3);
            assertThat(eventually(Duration.ofSeconds(5), () -> backendsUnchecked(db, app) == 0)).isTrue();
            // Connections given back within the validation window are trusted without a round trip
            // (as in HikariCP); past it, a checkout validates them first.
            Thread.sleep(C3p0Pool.VALIDATION_WINDOW_MS + 100);

            // Every checkout from now on gets a working connection: no exception at all.
            for (int round = 0; round < 10; round++) {
                List<Connection> batch = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    batch.add(pool.borrow());
                }
                for (Connection c : batch) {
                    assertThat(selectOne(c)).isEqualTo(1);
                    c.close();
                }
            }
            assertThat(pool.stats().created()).as("dead connections were replaced by new ones")
                    .isGreaterThanOrEqualTo(createdBefore + 3);
            assertThat(pool.stats().timeouts()).isZero();
            // The dead ones were closed, and counted as closed.
            assertThat(eventually(Duration.ofSeconds(5), () -> {
                var s = pool.stats();
                return s.created() == s.total() + s.closed() && s.closed() >= 3;
            })).as("%s", pool.stats()).isTrue();
        }
    }

    @Test
    void afterTheNetworkIsCutTheNextCheckoutsWorkWithoutAnError() throws Exception {
        String app = uniqueAppName("cut");
        TestSchema s = schema;
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(s.jdbcUrl(), TcpProxy.Mode.FORWARD);
             ConnectionPool pool = new C3p0SessionProvider().start(config(s, app).url(proxy.rewrite(s.jdbcUrl()))
                     .minSize(2).maxSize(2).checkoutTimeout(Duration.ofSeconds(5)).build())) {
            try (Connection a = pool.borrow(); Connection b = pool.borrow()) {
                assertThat(selectOne(a) + selectOne(b)).isEqualTo(2);
            }
            proxy.cut(); // like a restart of the server: every socket is gone
            Thread.sleep(C3p0Pool.VALIDATION_WINDOW_MS + 100);
            for (int i = 0; i < 10; i++) {
                try (Connection c = pool.borrow()) {
                    assertThat(selectOne(c)).isEqualTo(1);
                }
            }
            assertThat(pool.stats().total()).isLessThanOrEqualTo(2);
        }
    }
}
