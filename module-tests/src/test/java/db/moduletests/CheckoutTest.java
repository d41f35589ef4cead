package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import db.api.CheckoutInterruptedException;
import db.api.ConnectionException;
import db.api.Database;
import db.api.PoolClosedException;
import db.api.PoolExhaustedException;
import db.api.Session;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core's checkout path in front of the pool: fair gate, one deadline, nothing lost on failure. */
class CheckoutTest {
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("checkout");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(2);
        }
    }

    @Test
    void waitersGetTheConnectionInArrivalOrderAndPendingCountsThem() throws Exception {
        try (Database db = Database.open(Fixtures.config(schema).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(20)).build())) {
            Session held = db.openSession();
            QueuedCheckouts waiters = QueuedCheckouts.queue(db, 6);
            assertThat(db.stats().pending()).isEqualTo(6);
            held.close();
            waiters.join();
            assertThat(waiters.served()).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(db.stats().pending()).isZero();
            assertThat(db.stats().busy()).isZero();
        }
    }

    @Test
    void anInterruptedWaiterGetsAClearExceptionAndNoPermitIsLost() throws Exception {
        try (Database db = Database.open(Fixtures.config(schema).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(20)).build())) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread waiter;
            try (Session held = db.openSession()) {
                waiter = new Thread(() -> {
                    thrown.set(catchThrowable(db::openSession));
                    flagAfter.set(Thread.currentThread().isInterrupted());
                });
                waiter.start();
                await(() -> db.stats().pending() == 1);
                waiter.interrupt();
                waiter.join(10_000);
                held.execute("select 1");
            }
            assertThat(thrown.get()).isInstanceOf(CheckoutInterruptedException.class)
                    .hasMessageContaining("Interrupted").hasMessageContaining("no connection was taken");
            assertThat(flagAfter.get()).isTrue();
            assertThat(db.stats().pending()).isZero();
            // The one permit is back: a checkout does not wait.
            long start = System.nanoTime();
            try (Session s = db.openSession()) {
                s.execute("select 1");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void closingTheDatabaseReleasesWaitersAtOnceWithPoolClosed() throws Exception {
        Database db = Database.open(Fixtures.config(schema).minSize(1).maxSize(1)
                .checkoutTimeout(Duration.ofSeconds(30)).property("db.pool.close-timeout", "200ms").build());
        Session held = db.openSession();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> thrown.set(catchThrowable(db::openSession)));
        waiter.start();
        await(() -> db.stats().pending() == 1);
        long start = System.nanoTime();
        db.close();
        waiter.join(10_000);
        assertThat(thrown.get()).isInstanceOf(PoolClosedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        held.close();
    }

    @Test
    void theCheckoutTimeoutIsOneDeadlineForGateAndPool() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        try (Database db = Database.open(Fixtures.config(schema).minSize(1).maxSize(1).checkoutTimeout(timeout).build());
             Session held = db.openSession()) {
            long start = System.nanoTime();
            Throwable failure = catchThrowable(db::openSession);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failure).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("exhausted");
            // the deadline, plus a margin for a shared 2-core machine (never a second full timeout)
            assertThat(took).isBetween(timeout, timeout.plusMillis(700));
            assertThat(db.stats().timeouts()).isEqualTo(1);
            held.execute("select 1");
        }
    }

    @Test
    void aFailureBetweenBorrowAndSessionGivesTheConnectionBack() {
        // A leak threshold too large for nanoseconds makes the session's creation fail after the borrow.
        try (Database db = Database.open(Fixtures.config(schema).minSize(1).maxSize(2)
                .leakThreshold(Duration.ofDays(200_000)).checkoutTimeout(Duration.ofSeconds(2)).build())) {
            for (int i = 0; i < 5; i++) {
                Throwable failure = catchThrowable(db::openSession);
                assertThat(failure).isNotNull();
            }
            assertThat(db.stats().busy()).isZero();
            assertThat(db.stats().pending()).isZero();
            // Five failed checkouts on a pool of two: no permit and no connection was lost.
            Throwable again = catchThrowable(db::openSession);
            assertThat(again).isNotInstanceOf(PoolExhaustedException.class);
        }
    }

    @Test
    void aDeadConnectionAtTheHeadOfThePoolCostsNoMoreThanTheCheckoutTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(1500);
        String app = "sb-checkout-dead-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Database db = Database.open(Fixtures.config(schema).minSize(1).maxSize(1).applicationName(app)
                .checkoutTimeout(timeout).build())) {
            int pid;
            try (Session s = db.openSession()) {
                pid = s.queryOne("select pg_backend_pid()", r -> r.getInt(1)).orElseThrow();
            }
            try (Connection admin = schema.database().connect();
                 PreparedStatement kill = admin.prepareStatement("select pg_terminate_backend(?)")) {
                kill.setInt(1, pid);
                kill.execute();
            }
            Thread.sleep(700); // past the validation window: the pool checks it before lending it
            long start = System.nanoTime();
            Throwable failure;
            int newPid = -1;
            try (Session s = db.openSession()) {
                newPid = s.queryOne("select pg_backend_pid()", r -> r.getInt(1)).orElseThrow();
                failure = null;
            } catch (RuntimeException e) {
                failure = e;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(timeout.plusMillis(700));
            if (failure == null) {
                assertThat(newPid).isNotEqualTo(pid);
            } else {
                assertThat(failure).isInstanceOfAny(PoolExhaustedException.class, ConnectionException.class);
            }
            assertThat(db.stats().busy()).isZero();
        }
    }
}
