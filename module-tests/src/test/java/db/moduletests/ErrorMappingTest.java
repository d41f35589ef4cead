package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import db.api.Database;
import db.api.DuplicateKeyException;
import db.api.QueryTimeoutException;
import db.api.Session;
import db.api.TxOptions;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Error mapping end to end: the PostgreSQL mapper arrives as a service provider, the core asks it,
 * and transactions retry what it calls retryable.
 */
class ErrorMappingTest {
    private static final int THREADS = 8;
    private static final int INCREMENTS = 50;

    private static TestSchema schema;
    private static Database db;

    @BeforeAll
    static void open() {
        schema = TestDatabase.get().createSchema("errmap");
        schema.execute("create table counters (id int primary key, v int not null);"
                + "create table people (email text constraint people_email_key unique)");
        db = Database.open(Fixtures.config(schema).maxSize(THREADS).build());
    }

    @AfterAll
    static void close() {
        db.close();
        schema.close();
    }

    private static String sentinel() {
        return "pii-sentinel-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@example.com";
    }

    @Test
    void serializationFailuresAreRetriedUntilEveryIncrementLands() throws Exception {
        try (Session s = db.openSession()) {
            s.execute("insert into counters values (1, 0)");
        }
        AtomicInteger attempts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < INCREMENTS; i++) {
                        db.inTransaction(TxOptions.serializable(50), session -> {
                            attempts.incrementAndGet();
                            int v = session.queryOne("select v from counters where id = 1", row -> row.getInt(1))
                                    .orElseThrow();
                            return session.execute("update counters set v = ? where id = 1", v + 1);
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Session s = db.openSession()) {
            assertThat(s.queryOne("select v from counters where id = 1", row -> row.getInt(1)))
                    .contains(THREADS * INCREMENTS);
        }
        System.out.println("[errors] " + THREADS * INCREMENTS + " increments took " + attempts.get() + " attempts");
        assertThat(attempts.get()).as("serialization failures happened and were retried")
                .isGreaterThan(THREADS * INCREMENTS);
    }

    @Test
    void aDriverExceptionFromPlainJdbcCodeIsMappedWithTheDatabasesMappers() throws Exception {
        String email = sentinel();
        java.sql.SQLException raw;
        try (java.sql.Connection c = db.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("insert into people values (?)")) {
            ps.setString(1, email);
            ps.executeUpdate();
            raw = catchThrowableOfType(java.sql.SQLException.class, ps::executeUpdate);
        }
        DuplicateKeyException mapped = (DuplicateKeyException) db.translate(raw);
        assertThat(mapped.constraint()).contains("people_email_key");
        assertThat(mapped.getCause()).isSameAs(raw);
        assertThat(mapped.getMessage()).doesNotContain(email);
    }

    @Test
    void aNonRetryableFailureRunsExactlyOnce() {
        String email = sentinel();
        try (Session s = db.openSession()) {
            s.execute("insert into people values (?)", email);
        }
        AtomicInteger attempts = new AtomicInteger();
        DuplicateKeyException e = catchThrowableOfType(DuplicateKeyException.class,
                () -> db.inTransaction(TxOptions.serializable(10), session -> {
                    attempts.incrementAndGet();
                    return session.execute("insert into people values (?)", email);
                }));
        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isFalse();
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void rowValuesStayOutOfMessagesAndLogs() {
        String email = sentinel();
        try (LogCapture logs = LogCapture.start()) {
            try (Session s = db.openSession()) {
                s.execute("insert into people values (?)", email);
            }
            DuplicateKeyException inSession;
            try (Session s = db.openSession()) {
                inSession = catchThrowableOfType(DuplicateKeyException.class,
                        () -> s.execute("insert into people values (?)", email));
            }
            DuplicateKeyException inTx = catchThrowableOfType(DuplicateKeyException.class,
                    () -> db.inTransaction(session -> session.execute("insert into people values (?)", email)));
            DuplicateKeyException inBatch;
            try (Session s = db.openSession()) {
                inBatch = catchThrowableOfType(DuplicateKeyException.class, () -> s.executeBatch(
                        "insert into people values (?)", List.of(new Object[] {email + ".x"}, new Object[] {email})));
            }
            for (DuplicateKeyException e : List.of(inSession, inTx, inBatch)) {
                assertThat(e).isNotNull();
                // the PostgreSQL mapper answered, not the fallback
                assertThat(e.getMessage()).startsWith("unique_violation (23505)").doesNotContain(email);
                assertThat(e.toString()).doesNotContain(email);
                assertThat(e.constraint()).contains("people_email_key");
                assertThat(e.detail()).isEmpty();
                // what an application's error log prints: message, stack trace and causes
                LogManager.getLogger(ErrorMappingTest.class).info("insert failed", e);
            }
            assertThat(logs.text()).contains("people_email_key").doesNotContain(email);
        }
    }

    @Test
    void detailOnlyWhenOptedIn() {
        String email = sentinel();
        try (Database opted = Database.open(Fixtures.config(schema).property("db.errors.include-detail", "true").build());
             Session s = opted.openSession()) {
            s.execute("insert into people values (?)", email);
            DuplicateKeyException e = catchThrowableOfType(DuplicateKeyException.class,
                    () -> s.execute("insert into people values (?)", email));
            assertThat(e).isNotNull();
            assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains(email));
            assertThat(e.getMessage()).doesNotContain(email);
        }
    }

    @Test
    void statementTimeoutIsARetryableQueryTimeout() {
        try (Database timed = Database.open(Fixtures.config(schema).statementTimeout(Duration.ofMillis(200)).build());
             Session s = timed.openSession()) {
            QueryTimeoutException e = catchThrowableOfType(QueryTimeoutException.class,
                    () -> s.query("select pg_sleep(5)", row -> 1));
            assertThat(e).isNotNull();
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.isRetryable()).isTrue();
        }
    }
}
