package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.api.ConnectionException;
import db.api.Database;
import db.api.PoolStats;
import db.api.Session;
import db.testkit.TcpProxy;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While the database is unreachable, checkouts wait for the pool to reconnect (up to the checkout
 * timeout) instead of failing at once; connect attempts back off; past the timeout the exception names
 * the last connect failure. The outage here is a loopback proxy that cuts every connection and refuses
 * new ones.
 */
class ReconnectWaitTest {
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("reconnect");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Test
    void anOutageShorterThanTheCheckoutTimeoutCostsNoFailedCheckout() throws Exception {
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(schema.jdbcUrl(), TcpProxy.Mode.FORWARD);
             Database db = Database.open(Fixtures.config(schema).url(proxy.rewrite(schema.jdbcUrl()))
                     .minSize(1).maxSize(3).checkoutTimeout(Duration.ofSeconds(8)).build())) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger checkouts = new AtomicInteger();
            AtomicInteger afterOutage = new AtomicInteger();
            AtomicInteger inFlightFailures = new AtomicInteger();
            AtomicBoolean outageOver = new AtomicBoolean();
            ConcurrentHashMap<String, AtomicInteger> checkoutFailures = new ConcurrentHashMap<>();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        Session s;
                        try {
                            s = db.openSession();
                        } catch (RuntimeException e) {
                            checkoutFailures.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                                    k -> new AtomicInteger()).incrementAndGet();
                            continue;
                        }
                        try (s) {
                            checkouts.incrementAndGet();
                            s.execute("select 1");
                            if (outageOver.get()) {
                                afterOutage.incrementAndGet();
                            }
                        } catch (ConnectionException inFlight) {
                            // work in flight when the connection was cut fails, mapped: not a checkout failure
                            inFlightFailures.incrementAndGet();
                        }
                    }
                });
                workers.add(t);
                t.start();
            }
            CheckoutTest.await(() -> checkouts.get() > 50);
            PoolStats before = db.stats();
            int attemptsBefore = proxy.connectionAttempts();
            proxy.refuse();
            proxy.cut();
            Thread.sleep(2_000);
            int attemptsDuringOutage = proxy.connectionAttempts() - attemptsBefore;
            PoolStats during = db.stats();
            proxy.forward();
            outageOver.set(true);
            CheckoutTest.await(() -> afterOutage.get() > 50);
            running.set(false);
            for (Thread t : workers) {
                t.join(15_000);
            }
            assertThat(checkoutFailures).as("failed checkouts").isEmpty();
            System.out.println("[reconnect] outage 2 s: " + attemptsDuringOutage + " connect attempts, "
                    + inFlightFailures.get() + " statements in flight failed, 0 checkouts failed");
            assertThat(during.connectFailures()).isGreaterThan(before.connectFailures());
            assertThat(during.backoff()).isPositive();
            // 2 s of outage with back-off steps of 250 ms, 500 ms, 1 s (± 20 %): a handful of attempts,
            // however many callers wait.
            assertThat(attemptsDuringOutage).isBetween(1, 8);
            assertThat(db.stats().backoff()).isZero();
            assertThat(db.stats().busy()).isZero();
        }
    }

    @Test
    void pastTheCheckoutTimeoutTheExceptionNamesTheLastConnectFailure() throws Exception {
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(schema.jdbcUrl(), TcpProxy.Mode.FORWARD);
             Database db = Database.open(Fixtures.config(schema).url(proxy.rewrite(schema.jdbcUrl()))
                     .minSize(1).maxSize(2).checkoutTimeout(Duration.ofMillis(1500)).build())) {
            try (Session s = db.openSession()) {
                s.execute("select 1");
            }
            proxy.refuse();
            proxy.cut();
            Thread.sleep(700); // past the validation window: the pool checks the idle connection first
            long start = System.nanoTime();
            Throwable failure = catchThrowable(db::openSession);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failure).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("last connect failure");
            assertThat(failure.getMessage()).doesNotContain("null");
            assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(2500));
            assertThat(db.stats().timeouts()).isPositive();
            proxy.forward();
            try (Session s = db.openSession()) {
                s.execute("select 1");
            }
        }
    }
}
