package db.pool.c3p0;

import static db.pool.c3p0.PoolTestSupport.PASSWORD_SENTINEL;
import static db.pool.c3p0.PoolTestSupport.config;
import static db.pool.c3p0.PoolTestSupport.eventually;
import static db.pool.c3p0.PoolTestSupport.selectOne;
import static db.pool.c3p0.PoolTestSupport.uniqueAppName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.api.ConnectionException;
import db.api.DbConfig;
import db.api.spi.ConnectionPool;
import db.testkit.TcpProxy;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Starting against a database that is not there: fail fast with a clear message, or start and heal. */
class StartTest {
    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestDatabase.get().createSchema("start");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    private static void assertNoSecretAnywhere(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD_SENTINEL);
            assertThat(t.toString()).doesNotContain(PASSWORD_SENTINEL);
        }
    }

    @Test
    void aClosedPortFailsWithinTheConnectTimeoutNamingTheTargetButNotThePassword() throws Exception {
        int port = closedPort();
        String app = uniqueAppName("refused");
        DbConfig config = DbConfig.builder().url("jdbc:postgresql://127.0.0.1:" + port + "/test")
                .user("postgres").password(PASSWORD_SENTINEL).poolName(app).applicationName(app)
                .connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> threadsBefore = threadNames();

        long start = System.nanoTime();
        Throwable failure = catchThrowable(() -> new C3p0SessionProvider().start(config).close());
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(failure).isInstanceOf(ConnectionException.class);
        assertThat(failure.getMessage()).contains("127.0.0.1").contains(":" + port).contains("/test")
                .contains("postgres@").contains("refused");
        assertThat(((ConnectionException) failure).isRetryable()).isTrue();
        assertThat(((ConnectionException) failure).sqlState()).isEqualTo("08001");
        assertNoSecretAnywhere(failure);
        assertThat(tookMs).isLessThan(2_000 + 2_000);
        // Nothing of c3p0 was left running.
        assertThat(threadNames()).allMatch(n -> threadsBefore.contains(n) || !n.contains("C3P0")
                && !n.contains("c3p0") && !n.contains(app));
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsWithinTheConnectTimeout() {
        String app = uniqueAppName("stalled");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(schema.jdbcUrl(), TcpProxy.Mode.STALL)) {
            DbConfig config = config(schema, app).url(proxy.rewrite(schema.jdbcUrl())).password(PASSWORD_SENTINEL)
                    .connectTimeout(Duration.ofSeconds(1)).build();
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> new C3p0SessionProvider().start(config).close());
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(failure).isInstanceOf(ConnectionException.class);
            assertThat(failure.getMessage()).contains("127.0.0.1:" + proxy.port()).contains("/test");
            assertNoSecretAnywhere(failure);
            assertThat(tookMs).isLessThan(1_000 + 2_000);
        }
    }

    @Test
    void withoutFailFastThePoolStartsAndServesOnceTheDatabaseAnswers() throws Exception {
        String app = uniqueAppName("lazy");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(schema.jdbcUrl(), TcpProxy.Mode.REFUSE);
             ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app)
                     .url(proxy.rewrite(schema.jdbcUrl())).failFast(false).minSize(1).maxSize(2)
                     .connectTimeout(Duration.ofSeconds(1)).checkoutTimeout(Duration.ofSeconds(3)).build())) {
            // Down: a checkout fails with a connection error (not "exhausted"), and fast.
            long start = System.nanoTime();
            assertThatThrownBy(pool::borrow).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("127.0.0.1:" + proxy.port());
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000 + 2_000);
            assertThat(pool.stats().timeouts()).isZero();

            proxy.mode(TcpProxy.Mode.FORWARD);
            // Up: the pool serves without a restart.
            assertThat(eventually(Duration.ofSeconds(10), () -> {
                try (Connection c = pool.borrow()) {
                    return selectOne(c) == 1;
                } catch (Exception e) {
                    return false;
                }
            })).isTrue();
            // And from then on every checkout works.
            for (int i = 0; i < 5; i++) {
                try (Connection c = pool.borrow()) {
                    assertThat(selectOne(c)).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void withoutFailFastAStalledServerIsReportedAsAConnectionProblemNotAsExhaustion() throws Exception {
        String app = uniqueAppName("hung");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(schema.jdbcUrl(), TcpProxy.Mode.STALL);
             ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app)
                     .url(proxy.rewrite(schema.jdbcUrl())).failFast(false).minSize(1).maxSize(2)
                     .connectTimeout(Duration.ofSeconds(1)).checkoutTimeout(Duration.ofMillis(500)).build())) {
            long start = System.nanoTime();
            Throwable failure = catchThrowable(pool::borrow);
            assertThat(failure).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("127.0.0.1:" + proxy.port()).hasMessageContaining("busy 0 of max size 2");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500 + 2_000);
            assertThat(pool.stats().timeouts()).isEqualTo(1);

            proxy.mode(TcpProxy.Mode.FORWARD);
            proxy.cut(); // the stalled sockets go; new connects are forwarded
            assertThat(eventually(Duration.ofSeconds(15), () -> {
                try (Connection c = pool.borrow()) {
                    return selectOne(c) == 1;
                } catch (Exception e) {
                    return false;
                }
            })).isTrue();
        }
    }

    @Test
    void withoutFailFastAnUnreachableDatabaseFailsCheckoutsWithoutShowingThePassword() throws Exception {
        int port = closedPort();
        String app = uniqueAppName("unreach");
        // c3p0 logs its whole configuration and every failed attempt: LogCheckTest reads that log for the sentinel.
        try (ConnectionPool pool = new C3p0SessionProvider().start(DbConfig.builder()
                .url("jdbc:postgresql://127.0.0.1:" + port + "/test").user("postgres").password(PASSWORD_SENTINEL)
                .poolName(app).applicationName(app).failFast(false).minSize(1).maxSize(1)
                .connectTimeout(Duration.ofSeconds(1)).checkoutTimeout(Duration.ofSeconds(5)).build())) {
            Throwable failure = catchThrowable(pool::borrow);
            assertThat(failure).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("postgres@127.0.0.1:" + port + "/test");
            assertNoSecretAnywhere(failure);
            assertThat(pool.stats().toString()).doesNotContain(PASSWORD_SENTINEL);
            assertThat(pool.toString()).doesNotContain(PASSWORD_SENTINEL);
        }
    }

    @Test
    void aWorkingDatabaseStartsWithTheFailFastConnectionInThePool() throws Exception {
        String app = uniqueAppName("ok");
        try (ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app).minSize(1).maxSize(3).build())) {
            assertThat(eventually(Duration.ofSeconds(5), () -> pool.stats().total() == 1)).isTrue();
            // The connection made to check the database is the pool's first one, not an extra.
            assertThat(pool.stats().created()).isEqualTo(1);
            try (Connection c = pool.borrow()) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    @Test
    void withMinimumZeroTheFailFastCheckLeavesNoConnectionBehind() throws Exception {
        String app = uniqueAppName("zero");
        try (ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app).minSize(0).maxSize(2).build())) {
            assertThat(pool.stats().created()).isEqualTo(1);
            assertThat(pool.stats().closed()).isEqualTo(1);
            assertThat(pool.stats().total()).isZero();
            assertThat(eventually(Duration.ofSeconds(5),
                    () -> PoolTestSupport.backendsUnchecked(schema.database(), app) == 0)).isTrue();
            try (Connection c = pool.borrow()) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    @Test
    void aServerThatRefusesTheLoginKeepsItsSqlStateForTheErrorMappers() throws Exception {
        String app = uniqueAppName("nodb");
        String url = schema.database().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/no_such_database_sb$1");
        // Fail-fast: the family of the server's SQLSTATE (as the core maps it later), not retryable.
        Throwable atStart = catchThrowable(() -> new C3p0SessionProvider().start(config(schema, app).url(url).build()));
        assertThat(atStart).isInstanceOf(db.api.BadSqlException.class).hasMessageContaining("/no_such_database_sb");
        assertThat(((db.api.DataAccessException) atStart).sqlState()).isEqualTo("3D000");
        assertThat(((db.api.DataAccessException) atStart).isRetryable()).isFalse();
        // Not fail-fast: checkouts throw the SQLSTATE so the core maps it to the right family.
        try (ConnectionPool pool = new C3p0SessionProvider().start(config(schema, app).url(url).failFast(false)
                .minSize(0).maxSize(1).build())) {
            Throwable failure = catchThrowable(pool::borrow);
            assertThat(failure).isInstanceOf(java.sql.SQLException.class).hasMessageContaining("/no_such_database_sb");
            assertThat(((java.sql.SQLException) failure).getSQLState()).isEqualTo("3D000");
        }
    }
}
