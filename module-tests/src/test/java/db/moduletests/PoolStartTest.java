package db.moduletests;

import static db.moduletests.PoolProbe.PASSWORD_SENTINEL;
import static db.moduletests.PoolProbe.assertServes;
import static db.moduletests.PoolProbe.closedPort;
import static db.moduletests.PoolProbe.serves;
import static db.moduletests.PoolProbe.uniqueAppName;
import static db.testkit.Conditions.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.spi.ConnectionInitializer;
import db.testkit.TcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pool behaviour, for every session provider: starting against a database that is not there fails fast
 * with one clear message, or (fail-fast off) starts and heals once the database answers.
 */
@Execution(ExecutionMode.SAME_THREAD)
class PoolStartTest {
    @RegisterExtension
    static final PoolSchema pools = new PoolSchema("poolstart");

    private static void assertNoSecretAnywhere(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD_SENTINEL);
            assertThat(t.toString()).doesNotContain(PASSWORD_SENTINEL);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aClosedPortFailsWithinTheConnectTimeoutNamingTheTargetButNotThePassword(String provider) throws Exception {
        int port = closedPort();
        String app = uniqueAppName(provider, "refused");
        DbConfig config = pools.config(provider, app).url("jdbc:postgresql://127.0.0.1:" + port + "/test")
                .user("postgres").password(PASSWORD_SENTINEL).connectTimeout(Duration.ofSeconds(2)).build();

        long start = System.nanoTime();
        Throwable failure = catchThrowable(() -> Database.open(config).close());
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(failure).isInstanceOf(ConnectionException.class);
        assertThat(failure.getMessage()).startsWith("Cannot connect to PostgreSQL at postgres@127.0.0.1:" + port + "/test")
                .contains("pool '" + app + "'").contains("connect timeout 2000 ms").contains("refused");
        assertThat(((ConnectionException) failure).isRetryable()).isTrue();
        assertThat(((ConnectionException) failure).sqlState()).isEqualTo("08001");
        assertNoSecretAnywhere(failure);
        assertThat(tookMs).isLessThan(2_000 + 2_000);
        // Nothing of the pool was left running.
        PoolProbe.assertNoThreadLeft(app);
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aServerThatAcceptsButNeverAnswersFailsWithinTheConnectTimeout(String provider) {
        String app = uniqueAppName(provider, "stalled");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(pools.schema().jdbcUrl(), TcpProxy.Mode.STALL)) {
            DbConfig config = pools.config(provider, app).url(proxy.rewrite(pools.schema().jdbcUrl())).password(PASSWORD_SENTINEL)
                    .connectTimeout(Duration.ofSeconds(1)).build();
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> Database.open(config).close());
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(failure).isInstanceOf(ConnectionException.class);
            assertThat(failure.getMessage()).contains("127.0.0.1:" + proxy.port()).contains("/test");
            assertNoSecretAnywhere(failure);
            assertThat(tookMs).isLessThan(1_000 + 2_000);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void withoutFailFastThePoolStartsAndServesOnceTheDatabaseAnswers(String provider) {
        String app = uniqueAppName(provider, "lazy");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(pools.schema().jdbcUrl(), TcpProxy.Mode.REFUSE);
             Database db = Database.open(pools.config(provider, app).url(proxy.rewrite(pools.schema().jdbcUrl())).failFast(false)
                     .minSize(1).maxSize(2).connectTimeout(Duration.ofSeconds(1))
                     .checkoutTimeout(Duration.ofSeconds(3)).build())) {
            // Down: a checkout fails with a connection error naming the target (not "exhausted"), in time.
            long start = System.nanoTime();
            assertThatThrownBy(db::openSession).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("127.0.0.1:" + proxy.port());
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000 + 2_000);

            proxy.mode(TcpProxy.Mode.FORWARD);
            // Up: the pool serves without a restart, and from then on every checkout works.
            assertThat(eventually(Duration.ofSeconds(15), () -> serves(db))).isTrue();
            for (int i = 0; i < 5; i++) {
                assertServes(db);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void withoutFailFastAStalledServerIsReportedAsAConnectionProblemNotAsExhaustion(String provider) {
        String app = uniqueAppName(provider, "hung");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(pools.schema().jdbcUrl(), TcpProxy.Mode.STALL);
             Database db = Database.open(pools.config(provider, app).url(proxy.rewrite(pools.schema().jdbcUrl())).failFast(false)
                     .minSize(1).maxSize(2).connectTimeout(Duration.ofSeconds(1))
                     .checkoutTimeout(Duration.ofMillis(500)).build())) {
            long start = System.nanoTime();
            Throwable failure = catchThrowable(db::openSession);
            assertThat(failure).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("127.0.0.1:" + proxy.port()).hasMessageContaining("of max size 2");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500 + 2_000);

            proxy.mode(TcpProxy.Mode.FORWARD);
            proxy.cut(); // the stalled sockets go; new connects are forwarded
            assertThat(eventually(Duration.ofSeconds(20), () -> serves(db))).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void withoutFailFastAnUnreachableDatabaseFailsCheckoutsWithoutShowingThePassword(String provider) throws Exception {
        int port = closedPort();
        String app = uniqueAppName(provider, "unreach");
        try (LogCapture log = LogCapture.start();
             Database db = Database.open(pools.config(provider, app).url("jdbc:postgresql://127.0.0.1:" + port + "/test")
                     .user("postgres").password(PASSWORD_SENTINEL).failFast(false).minSize(1).maxSize(1)
                     .connectTimeout(Duration.ofSeconds(1)).checkoutTimeout(Duration.ofSeconds(3)).build())) {
            Throwable failure = catchThrowable(db::openSession);
            assertThat(failure).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("postgres@127.0.0.1:" + port + "/test");
            assertNoSecretAnywhere(failure);
            assertThat(db.stats().toString()).doesNotContain(PASSWORD_SENTINEL);
            assertThat(log.text()).doesNotContain(PASSWORD_SENTINEL);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aWorkingDatabaseStartsWithTheFailFastConnectionInThePool(String provider) {
        String app = uniqueAppName(provider, "ok");
        try (Database db = Database.open(pools.config(provider, app).minSize(1).maxSize(3).build())) {
            assertThat(eventually(Duration.ofSeconds(5), () -> db.stats().total() == 1)).isTrue();
            // The connection made to check the database is the pool's first one, not an extra.
            assertThat(db.stats().created()).isEqualTo(1);
            assertServes(db);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void anInitializerThatThrowsFailsTheFailFastStartAsACannotConnectWithItAsTheCause(String provider) {
        String app = uniqueAppName(provider, "initfails");
        IllegalStateException broken = new IllegalStateException("initializer broke");
        ConnectionInitializer initializer = c -> {
            throw broken;
        };
        Throwable failure = catchThrowable(() -> Database.open(pools.config(provider, app).minSize(1).maxSize(1)
                .extension(ConnectionInitializer.class, initializer).build()).close());
        assertThat(failure).isInstanceOf(DataAccessException.class)
                .hasMessageStartingWith("Cannot connect to PostgreSQL at ").hasMessageContaining("pool '" + app + "'")
                .hasMessageContaining("initializer broke");
        assertThat(failure.getCause()).isSameAs(broken);
        assertThat(eventually(Duration.ofSeconds(5), () -> PoolProbe.backends(pools.schema().database(), app) == 0))
                .as("the connection the initializer failed on was closed").isTrue();
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void withMinimumZeroTheFailFastCheckLeavesNoConnectionBehind(String provider) {
        String app = uniqueAppName(provider, "zero");
        try (Database db = Database.open(pools.config(provider, app).minSize(0).maxSize(2).build())) {
            assertThat(db.stats().created()).isEqualTo(1);
            assertThat(db.stats().closed()).isEqualTo(1);
            assertThat(db.stats().total()).isZero();
            assertThat(eventually(Duration.ofSeconds(5), () -> PoolProbe.backends(pools.schema().database(), app) == 0))
                    .isTrue();
            assertServes(db);
        }
    }

    @ParameterizedTest
    @MethodSource("db.moduletests.Fixtures#sessionProviders")
    void aServerThatRefusesTheLoginKeepsItsSqlState(String provider) {
        String app = uniqueAppName(provider, "nodb");
        String url = pools.schema().database().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/no_such_database_sb$1");
        // Fail-fast: the family of the server's SQLSTATE (the same as later), not retryable.
        Throwable atStart = catchThrowable(() -> Database.open(pools.config(provider, app).url(url).build()).close());
        assertThat(atStart).isInstanceOf(db.api.BadSqlException.class).hasMessageContaining("/no_such_database_sb");
        assertThat(((DataAccessException) atStart).sqlState()).isEqualTo("3D000");
        assertThat(((DataAccessException) atStart).isRetryable()).isFalse();
        // Not fail-fast: checkouts fail with the server's SQLSTATE, which the core maps to its family.
        try (Database db = Database.open(pools.config(provider, app).url(url).failFast(false).minSize(0).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(3)).build())) {
            Throwable failure = catchThrowable(db::openSession);
            assertThat(failure).isInstanceOf(DataAccessException.class).hasMessageContaining("no_such_database_sb");
            assertThat(((DataAccessException) failure).sqlState()).isEqualTo("3D000");
        }
    }
}
