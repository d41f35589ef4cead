package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Database;
import db.api.Health;
import db.api.PoolClosedException;
import db.api.PoolExhaustedException;
import db.api.Session;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Startup log, leak reports, health probes and closing, as the core provides them to every pool. */
class LifecycleTest {
    private static final String PASSWORD_SENTINEL = "pw-sentinel-8c1f";
    @RegisterExtension
    static final PoolSchema pools = new PoolSchema("lifecycle");

    @Test
    void oneInfoLineNamesTheProvidersAndTheTargetButNotThePassword() {
        // The local server trusts connections, so a password is accepted and ignored.
        try (LogCapture log = LogCapture.start();
             Database db = Database.open(Fixtures.config(pools.schema()).password(PASSWORD_SENTINEL).build())) {
            String startup = log.text().lines().filter(l -> l.contains("Switchboard opened pool")).findFirst()
                    .orElseThrow(() -> new AssertionError("no startup line in:\n" + log.text()));
            assertThat(startup).startsWith("INFO").contains("c3p0", "postgres", "opentelemetry",
                    db.config().target().toString());
            assertThat(log.text()).doesNotContain(PASSWORD_SENTINEL);
            assertThat(db.config().toString()).doesNotContain(PASSWORD_SENTINEL);
        }
    }

    @Test
    void aLeakedSessionIsReportedOnceWithWhereItWasOpened() throws InterruptedException {
        try (LogCapture log = LogCapture.start();
             Database db = Database.open(Fixtures.config(pools.schema()).leakThreshold(Duration.ofMillis(200)).build())) {
            Session leaked = leakyRepositoryMethod(db);
            Thread.sleep(1_000);
            String text = log.text();
            assertThat(text.split("Possible session leak", -1)).as("reported exactly once").hasSize(2);
            assertThat(text).contains("leakyRepositoryMethod");
            assertThat(db.stats().leaks()).isEqualTo(1);
            // Not destroyed: the slow session still works.
            assertThat(leaked.queryOne("select 1", r -> r.getInt(1))).contains(1);
            leaked.close();
            try (Session fine = db.openSession()) {
                fine.execute("select 1");
            }
            assertThat(db.stats().leaks()).isEqualTo(1);
        }
    }

    private static Session leakyRepositoryMethod(Database db) {
        return db.openSession();
    }

    @Test
    void healthIsBoundedEvenWhenThePoolIsExhausted() {
        try (Database db = Database.open(Fixtures.config(pools.schema()).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(10)).property("db.health-timeout", "500ms").build())) {
            Health ok = db.health();
            assertThat(ok.healthy()).isTrue();
            assertThat(ok.stats().max()).isEqualTo(1);
            try (Session hog = db.openSession()) {
                long start = System.nanoTime();
                Health exhausted = db.health();
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(exhausted.healthy()).isFalse();
                assertThat(exhausted.failureCause()).isPresent();
                assertThat(tookMs).isLessThan(3_000);
                assertThat(hog.queryOne("select 1", r -> r.getInt(1))).contains(1);
            }
        }
    }

    @Test
    void checkoutBeyondMaxSizeTimesOutAndIsCounted() {
        try (Database db = Database.open(Fixtures.config(pools.schema()).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofMillis(300)).build());
             Session hog = db.openSession()) {
            assertThatThrownBy(db::openSession).isInstanceOf(PoolExhaustedException.class)
                    .satisfies(e -> assertThat(((PoolExhaustedException) e).isRetryable()).isTrue());
            assertThat(db.stats().timeouts()).isEqualTo(1);
            hog.execute("select 1");
        }
    }

    @Test
    void afterCloseSessionsAreRefused() {
        Database db = Database.open(Fixtures.config(pools.schema()).build());
        db.close();
        db.close();
        assertThatThrownBy(db::openSession).isInstanceOf(PoolClosedException.class)
                .hasMessageContaining(db.config().poolName());
        assertThat(db.health().healthy()).isFalse();
    }
}
