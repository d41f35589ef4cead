package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.AuthenticationException;
import db.api.BadSqlException;
import db.api.ConnectionException;
import db.api.ConnectionRejectedException;
import db.api.DataAccessException;
import db.api.DataException;
import db.api.Database;
import db.api.DatabaseTarget;
import db.api.DbConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same connect failure is the same exception at {@code Database.open} and later (when the pool
 * connects for a session), and a refusal is never retryable, so a loop on {@code isRetryable()} does not
 * spin on bad credentials; an unreachable host stays a retryable {@link ConnectionException}.
 */
class ConnectFailuresTest {
    @RegisterExtension
    static final PoolSchema pools = new PoolSchema("connfail");

    /** Where the test server is, as the fixture's config names it. */
    private static DatabaseTarget target() {
        return Fixtures.config(pools.schema()).build().target();
    }

    private static DbConfig.Builder config(String dsnExtra, UnaryOperator<DbConfig.Builder> change) {
        return change.apply(Fixtures.config(pools.schema()).url("host=" + target().host() + " port=" + target().port()
                + " dbname=" + target().database() + " " + dsnExtra).checkoutTimeout(Duration.ofSeconds(3)));
    }

    /** The exception at open (fail-fast) and the one of a session's checkout (not fail-fast), as a pair. */
    private static DataAccessException[] atOpenAndLater(String dsnExtra, UnaryOperator<DbConfig.Builder> change) {
        DataAccessException atOpen = null;
        try {
            Database.open(config(dsnExtra, change).build()).close();
            throw new AssertionError("opened");
        } catch (DataAccessException e) {
            atOpen = e;
        }
        DataAccessException later = null;
        try (Database db = Database.open(config(dsnExtra, change).failFast(false).minSize(0).build())) {
            db.openSession().close();
            throw new AssertionError("a session was opened");
        } catch (DataAccessException e) {
            later = e;
        }
        return new DataAccessException[] {atOpen, later};
    }

    private static void sameAndNotRetryable(DataAccessException[] pair, Class<?> type, String sqlState) {
        for (DataAccessException e : pair) {
            assertThat(e).isExactlyInstanceOf(type);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.sqlState()).isEqualTo(sqlState);
        }
    }

    @Test
    void unknownRole() {
        sameAndNotRetryable(atOpenAndLater("", b -> b.user("no_such_role_switchboard")),
                AuthenticationException.class, "28000");
    }

    @Test
    void unknownDatabase() {
        sameAndNotRetryable(atOpenAndLater("", b -> b.url("host=" + target().host() + " port=" + target().port()
                + " dbname=no_such_db_switchboard")), BadSqlException.class, "3D000");
    }

    @Test
    void rejectedStartupParameter() {
        sameAndNotRetryable(atOpenAndLater("options='-c statement_timeout=30d'", b -> b),
                DataException.class, "22023");
    }

    @Test
    void sslRequiredByAServerWithoutSsl() {
        sameAndNotRetryable(atOpenAndLater("sslmode=require", b -> b), ConnectionRejectedException.class, "08004");
    }

    @Test
    void anUnreachableHostStaysRetryable() throws IOException {
        int down;
        try (ServerSocket socket = new ServerSocket(0)) {
            down = socket.getLocalPort();
        }
        String url = "host=" + target().host() + " port=" + down + " dbname=" + target().database();
        for (DataAccessException e : atOpenAndLater("", b -> b.url(url).checkoutTimeout(Duration.ofMillis(500)))) {
            assertThat(e).isInstanceOf(ConnectionException.class);
            assertThat(e.isRetryable()).isTrue();
        }
    }
}
