package db.scaletests;

import static db.scaletests.Telemetry.SERVER_ADDRESS;
import static db.scaletests.Telemetry.SERVER_PORT;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.TxOptions;
import db.testkit.PgCluster;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What tracing and {@code pools()} say across a failover over a multi-host URL (a real primary and a real
 * streaming standby): the host a statement's connection is on, so that after the primary stopped and the
 * standby was promoted, the spans of writes and the primary's pool name the new primary, not the URL's
 * first host.
 */
class FailoverTracingTest {
    private static final String WRITE = "insert into traced values (?)";

    @AutoClose
    private static Standbys.Pair clusters;

    @BeforeAll
    static void startClusters() {
        clusters = Standbys.Pair.start("create table traced (id int primary key)");
    }

    @Test
    void afterAFailoverTheSpansOfWritesAndThePrimarysPoolNameTheNewPrimary() {
        PgCluster primary = clusters.primary();
        PgCluster standby = clusters.standby();
        String url = "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port() + "/"
                + PgCluster.DATABASE;
        TxOptions retrying = TxOptions.builder().maxAttempts(50).backoff(Duration.ofMillis(10), Duration.ofMillis(200))
                .retryOn(DataAccessException::isRetryable).build();
        try (Telemetry telemetry = new Telemetry();
             Database db = Database.open(DbConfig.builder().url(url).user(PgCluster.USER).poolName("traced")
                     .minSize(1).maxSize(2).checkoutTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(1))
                     .extension(OpenTelemetry.class, telemetry.sdk()).build())) {
            db.inTransaction(retrying, s -> s.execute(WRITE, 1));
            assertThat(telemetry.spans(WRITE)).singleElement().satisfies(span -> assertRanOn(span, primary));
            assertThat(db.pools().get(0).server()).isEqualTo("127.0.0.1:" + primary.port());
            telemetry.resetSpans();

            primary.stopImmediate();
            standby.promote();
            db.inTransaction(retrying, s -> s.execute(WRITE, 2));

            List<SpanData> writes = telemetry.spans(WRITE);
            assertThat(writes).filteredOn(span -> span.getStatus().getStatusCode() != StatusCode.ERROR)
                    .as("the write that succeeded").singleElement().satisfies(span -> assertRanOn(span, standby));
            // An attempt that failed on a connection the pool still had to the old primary ran there.
            assertThat(writes).filteredOn(span -> span.getStatus().getStatusCode() == StatusCode.ERROR)
                    .allSatisfy(span -> assertRanOn(span, primary));
            assertThat(db.pools().get(0).server()).isEqualTo("127.0.0.1:" + standby.port());
            assertThat(db.health().pools().get(0).server()).isEqualTo("127.0.0.1:" + standby.port());
            System.out.printf("[scale] failover tracing: write spans server.port %d before, %d after the failover; "
                    + "attempts that failed on the old primary's connections first: %d%n", primary.port(),
                    standby.port(), writes.size() - 1);
        }
    }

    private static void assertRanOn(SpanData span, PgCluster cluster) {
        assertThat(span.getAttributes().get(SERVER_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(span.getAttributes().get(SERVER_PORT)).isEqualTo((long) cluster.port());
    }
}
