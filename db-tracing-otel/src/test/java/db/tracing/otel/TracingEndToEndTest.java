package db.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.Database;
import db.api.DbConfig;
import db.api.PoolExhaustedException;
import db.api.Session;
import db.api.TransactionOutcomeUnknownException;
import db.testkit.TcpProxy;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import db.tracing.otel.internal.InMemoryTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real statements against the real PostgreSQL, through {@link Database}: the instrumenter is found
 * by the core's discovery (this module's {@code provides}), the OpenTelemetry SDK is handed over as
 * a config extension.
 */
@SuppressWarnings("try") // Scope resources exist for their close()
class TracingEndToEndTest {

    private static final AttributeKey<String> QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    private static final AttributeKey<String> SUMMARY = AttributeKey.stringKey("db.query.summary");
    private static final AttributeKey<String> STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
    private static final AttributeKey<String> POOL_ROLE = AttributeKey.stringKey("switchboard.pool.role");
    private static final String SENTINEL = "sentinel-4711@example.com";

    private static TestSchema schema;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private OpenTelemetrySdk sdk;
    private Database database;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("otel_e2e");
        schema.execute("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL UNIQUE)");
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @BeforeEach
    void open() {
        sdk = InMemoryTelemetry.into(spans, metrics);
        database = Database.open(config("otel-e2e").build());
        schema.execute("TRUNCATE users");
        spans.reset();
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        sdk.close();
    }

    @Test
    void realStatementsBecomeClientSpansUnderTheCallersSpan() throws Exception {
        Span parent = sdk.getTracer("test").spanBuilder("handle request").startSpan();
        try (Scope ignored = parent.makeCurrent(); Session session = database.openSession()) {
            session.execute("INSERT INTO users (id, email) VALUES (?, ?)", 1, "a@example.com");
            assertThat(session.query("SELECT email FROM users WHERE id = ?", rs -> rs.getString(1), 1))
                    .containsExactly("a@example.com");
            Connection connection = session.connection();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM users WHERE email <> '" + SENTINEL + "'")) {
                assertThat(rs.next()).isTrue();
            }
        } finally {
            parent.end();
        }
        List<SpanData> statementSpans = statementSpans();
        assertThat(statementSpans).extracting(SpanData::getName)
                .containsExactly("INSERT users", "SELECT users", "SELECT users");
        assertThat(statementSpans).allSatisfy(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(span.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
            assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
            // the URL's currentSchema fixes the schema at connect: {database}|{schema}
            assertThat(span.getAttributes().get(AttributeKey.stringKey("db.namespace")))
                    .isEqualTo("test|" + schema.name());
            assertThat(span.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isNull();
            assertThat(span.getInstrumentationScopeInfo().getSchemaUrl()).startsWith("https://opentelemetry.io/schemas/");
            assertThat(span.getInstrumentationScopeInfo().getVersion()).isNotBlank().isNotEqualTo("unknown");
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        });
        assertThat(statementSpans.get(0).getAttributes().get(QUERY_TEXT))
                .isEqualTo("INSERT INTO users (id, email) VALUES (?, ?)");
        assertThat(statementSpans.get(2).getAttributes().get(QUERY_TEXT))
                .isEqualTo("SELECT count(*) FROM users WHERE email <> ?");
        assertThat(spans.getFinishedSpanItems().toString()).doesNotContain(SENTINEL).doesNotContain("a@example.com");
    }

    @Test
    void duplicateKeyIsRecordedBySqlStateWithoutTheRowValue() {
        try (Session session = database.openSession()) {
            session.execute("INSERT INTO users (id, email) VALUES (?, ?)", 1, SENTINEL);
            assertThatThrownBy(() -> session.execute("INSERT INTO users (id, email) VALUES (?, ?)", 2, SENTINEL))
                    .isInstanceOf(DataAccessException.class)
                    .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo("23505"));
        }
        SpanData failed = statementSpans().get(1);
        assertThat(failed.getName()).isEqualTo("INSERT users");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().get(STATUS_CODE)).isEqualTo("23505");
        assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo("23505");
        assertThat(failed.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                    .isEqualTo("db.api.DuplicateKeyException");
        });
        // The server's DETAIL says "Key (email)=(sentinel...) already exists": it must not reach telemetry.
        assertThat(failed.toString()).doesNotContain(SENTINEL);
        assertThat(String.valueOf(metrics.collectAllMetrics())).doesNotContain(SENTINEL);
    }

    @Test
    void spanAndDurationCoverTheServerTime() {
        try (Session session = database.openSession()) {
            session.query("SELECT pg_sleep(0.2)", rs -> rs.getString(1));
        }
        SpanData span = statementSpans().get(0);
        assertThat(span.getName()).isEqualTo("SELECT");
        assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isGreaterThanOrEqualTo(200_000_000L);
        assertThat(metric(metrics.collectAllMetrics(), "db.client.operation.duration").getHistogramData().getPoints())
                .singleElement().satisfies(p -> assertThat(p.getSum()).isGreaterThanOrEqualTo(0.2));
    }

    @Test
    void batchesAreOneSpanWithTheirSize() {
        try (Session session = database.openSession()) {
            session.executeBatch("INSERT INTO users (id, email) VALUES (?, ?)",
                    List.of(new Object[] {1, "a@x"}, new Object[] {2, "b@x"}, new Object[] {3, "c@x"}));
        }
        SpanData batch = statementSpans().get(0);
        assertThat(batch.getName()).isEqualTo("BATCH INSERT users");
        assertThat(batch.getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isEqualTo(3L);
    }

    @Test
    void statementBatchesRecordIdenticalTextOnceAndEmptyBatchesAsSizeZero() throws Exception {
        try (Session session = database.openSession(); Statement statement = session.connection().createStatement()) {
            statement.addBatch("insert into users (id, email) values (1, 'x1@" + SENTINEL + "')");
            statement.addBatch("insert into users (id, email) values (2, 'x2@" + SENTINEL + "')");
            assertThat(statement.executeBatch()).containsExactly(1, 1);
            assertThat(statement.executeBatch()).isEmpty();
        }
        List<SpanData> batches = statementSpans();
        assertThat(batches).extracting(SpanData::getName).containsExactly("BATCH insert users", "BATCH");
        assertThat(batches.get(0).getAttributes().get(QUERY_TEXT)).isEqualTo("insert into users (id, email) values (?, ?)");
        assertThat(batches.get(0).getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isEqualTo(2L);
        assertThat(batches.get(1).getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isZero();
        assertThat(batches.get(1).getAttributes().get(QUERY_TEXT)).isNull();
        assertThat(spans.getFinishedSpanItems().toString()).doesNotContain(SENTINEL);
    }

    @Test
    void twoDatabasesWithTheSameConfiguredPoolNameKeepTheirSeriesApart() {
        try (Database twin = Database.open(config("otel-e2e").build());
             Session a = database.openSession(); Session b = twin.openSession()) {
            a.query("SELECT 1", rs -> rs.getInt(1));
            b.query("SELECT 1", rs -> rs.getInt(1));
            MetricData max = metric(metrics.collectAllMetrics(), "db.client.connection.max");
            assertThat(max.getLongSumData().getPoints()).extracting(p -> p.getAttributes().get(POOL_NAME))
                    .containsExactlyInAnyOrder("otel-e2e", "otel-e2e#2");
        }
        // the name is free again once the twin is closed
        try (Database again = Database.open(config("otel-e2e").build()); Session s = again.openSession()) {
            s.query("SELECT 1", rs -> rs.getInt(1));
        }
        assertThat(metric(metrics.collectAllMetrics(), "db.client.connection.wait_time").getHistogramData().getPoints())
                .extracting(p -> p.getAttributes().get(POOL_NAME)).containsOnly("otel-e2e", "otel-e2e#2");
    }

    @Test
    void operationAndPoolMetrics() {
        try (Session session = database.openSession()) {
            session.query("SELECT id FROM users", rs -> rs.getInt(1));
            Collection<MetricData> whileOpen = metrics.collectAllMetrics();
            MetricData count = metric(whileOpen, "db.client.connection.count");
            long used = count.getLongSumData().getPoints().stream()
                    .filter(p -> "used".equals(p.getAttributes().get(AttributeKey.stringKey("db.client.connection.state"))))
                    .mapToLong(p -> p.getValue()).sum();
            assertThat(used).isGreaterThanOrEqualTo(1);
            assertThat(metric(whileOpen, "db.client.connection.max").getLongSumData().getPoints())
                    .singleElement().satisfies(p -> assertThat(p.getValue()).isEqualTo(2));
        }
        Collection<MetricData> collected = metrics.collectAllMetrics();
        MetricData duration = metric(collected, "db.client.operation.duration");
        assertThat(duration.getHistogramData().getPoints())
                .anySatisfy(p -> assertThat(p.getAttributes().get(SUMMARY)).isEqualTo("SELECT users"));
        assertThat(database.providers().sessionProvider()).isEqualTo("c3p0");
        assertThat(database.providers().instrumenters()).contains("opentelemetry");
        for (String name : List.of("db.client.connection.wait_time", "db.client.connection.use_time",
                "db.client.connection.create_time")) {
            assertThat(metric(collected, name).getHistogramData().getPoints()).as(name)
                    .allSatisfy(p -> assertThat(p.getAttributes().get(POOL_NAME)).isEqualTo("otel-e2e"))
                    .isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c3p0", "hikari"})
    void withSeveralHostsSpansAndPoolsNameTheHostTheConnectionIsOnNotTheFirstListed(String provider) throws Exception {
        String poolName = "otel-multi-host-" + provider;
        DbConfig multiHost = afterARefusedHost(config(poolName).sessionProvider(provider)).build();
        DatabaseTarget used = multiHost.targets().get(1);
        try (Database db = Database.open(multiHost); Session session = db.openSession()) {
            assertThat(db.providers().sessionProvider()).isEqualTo(provider);
            session.execute("INSERT INTO users (id, email) VALUES (?, ?)", 7, "multi@example.com");
            assertThat(db.pools().get(0).server()).isEqualTo(used.host() + ":" + used.port());
        }
        assertThat(statementSpans()).singleElement().satisfies(span -> assertOn(span, used));
        assertThat(metric(metrics.collectAllMetrics(), "db.client.connection.wait_time").getHistogramData().getPoints())
                .filteredOn(p -> poolName.equals(p.getAttributes().get(POOL_NAME)))
                .singleElement()
                .satisfies(p -> assertThat(p.getAttributes().get(POOL_ROLE)).isEqualTo("primary"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c3p0", "hikari"})
    void withSeveralHostsTransactionSpansAndTheirCommitAndRollbackNameTheHostTheConnectionIsOn(String provider)
            throws Exception {
        String poolName = "otel-multi-host-tx-" + provider;
        DbConfig multiHost = afterARefusedHost(config(poolName).sessionProvider(provider))
                .property(OpenTelemetryInstrumenter.TRANSACTIONS, "true").build();
        DatabaseTarget used = multiHost.targets().get(1);
        try (Database db = Database.open(multiHost)) {
            db.inTransaction(s -> s.execute("INSERT INTO users (id, email) VALUES (?, ?)", 8, "tx@example.com"));
            assertThatThrownBy(() -> db.inTransaction(s -> {
                s.execute("INSERT INTO users (id, email) VALUES (?, ?)", 9, "rolled@example.com");
                throw new IllegalStateException("roll back");
            })).isInstanceOf(IllegalStateException.class);
        }
        List<SpanData> transactions = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("transaction")).collect(Collectors.toList());
        assertThat(transactions).hasSize(2).allSatisfy(tx -> {
            assertThat(tx.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo(used.host());
            // moved from the refused host's port: set even when it is the default
            assertThat(tx.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) used.port());
            assertThat(tx.getAttributes().get(POOL_NAME)).isEqualTo(poolName);
            assertThat(tx.getAttributes().get(POOL_ROLE)).isEqualTo("primary");
        });
        assertThat(statementSpans()).extracting(SpanData::getName)
                .containsExactly("INSERT users", "COMMIT", "INSERT users", "ROLLBACK");
        assertThat(statementSpans()).allSatisfy(span -> assertOn(span, used));
        assertThat(metric(metrics.collectAllMetrics(), "db.client.operation.duration").getHistogramData().getPoints())
                .filteredOn(p -> "COMMIT".equals(p.getAttributes().get(SUMMARY)))
                .singleElement()
                .satisfies(p -> assertThat(p.getAttributes().get(AttributeKey.stringKey("server.address")))
                        .isEqualTo(used.host()));
    }

    /** {@code config}'s URL with a first host where nobody listens: the driver moves on to the real one. */
    private static DbConfig.Builder afterARefusedHost(DbConfig.Builder config) throws Exception {
        int refused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = socket.getLocalPort(); // closed again: nobody listens there
        }
        return config.url(schema.jdbcUrl().replaceFirst("//", "//127.0.0.1:" + refused + ","));
    }

    private static void assertOn(SpanData span, DatabaseTarget used) {
        assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo(used.host());
        assertThat(span.getAttributes().get(AttributeKey.longKey("server.port")))
                .isEqualTo(used.port() == DatabaseTarget.DEFAULT_PORT ? null : (long) used.port());
    }

    @Test
    void sqlCommenterSendsTheTraceparentToTheServer() {
        database.close();
        database = Database.open(config("otel-e2e-commenter")
                .property(OpenTelemetryInstrumenter.SQL_COMMENTER, "true").build());
        Span parent = sdk.getTracer("test").spanBuilder("request").startSpan();
        String seenByServer;
        try (Scope ignored = parent.makeCurrent(); Session session = database.openSession()) {
            seenByServer = session.queryOne("SELECT current_query()", rs -> rs.getString(1)).orElseThrow();
        } finally {
            parent.end();
        }
        assertThat(seenByServer).isEqualTo("SELECT current_query() /*traceparent='00-"
                + parent.getSpanContext().getTraceId() + "-" + parent.getSpanContext().getSpanId() + "-"
                + parent.getSpanContext().getTraceFlags().asHex() + "'*/");
        // the span records the application's text, not the annotated one
        assertThat(statementSpans()).singleElement().satisfies(span ->
                assertThat(span.getAttributes().get(QUERY_TEXT)).isEqualTo("SELECT current_query()"));
    }

    @Test
    void slowCheckoutShowsOnTheFirstStatementsSpan() throws Exception {
        database.close();
        Duration slow = Duration.ofMillis(100);
        database = Database.open(config("otel-e2e-slow").maxSize(1).minSize(1)
                .property(OpenTelemetryInstrumenter.SLOW_CHECKOUT, slow.toString())
                .property(OpenTelemetryInstrumenter.CHECKOUT_SPANS, "true").build());
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Session session = database.openSession()) {
                session.query("SELECT 1", rs -> rs.getInt(1));
                held.countDown();
                // hold the only connection until the test's checkout has been seen waiting for longer than
                // the slow-checkout threshold (it began waiting before it was first seen)
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                long firstSeenWaiting = 0;
                while (System.nanoTime() < deadline) {
                    if (database.stats().pending() >= 1) {
                        long now = System.nanoTime();
                        if (firstSeenWaiting == 0) {
                            firstSeenWaiting = now;
                        } else if (now - firstSeenWaiting > slow.toNanos()) {
                            break;
                        }
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.start();
        assertThat(held.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Span parent = sdk.getTracer("test").spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent(); Session session = database.openSession()) {
            session.query("SELECT id FROM users", rs -> rs.getInt(1));
            session.query("SELECT id FROM users", rs -> rs.getInt(1));
        } finally {
            parent.end();
        }
        holder.join(10_000);
        List<SpanData> mine = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(parent.getSpanContext().getSpanId()))
                .collect(Collectors.toList());
        assertThat(mine).extracting(SpanData::getName).containsExactly("checkout", "SELECT users", "SELECT users");
        assertThat(mine.get(0).getEndEpochNanos() - mine.get(0).getStartEpochNanos()).isGreaterThanOrEqualTo(slow.toNanos());
        assertThat(mine.get(1).getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("db.client.connection.slow_checkout");
            assertThat(event.getAttributes().get(AttributeKey.doubleKey("switchboard.checkout.wait")))
                    .isGreaterThanOrEqualTo(0.1).isLessThan(30.0);
            assertThat(event.getAttributes().get(AttributeKey.longKey("switchboard.pool.max"))).isEqualTo(1L);
            assertThat(event.getAttributes().get(POOL_NAME)).isEqualTo("otel-e2e-slow");
        });
        assertThat(mine.get(2).getEvents()).isEmpty();
    }

    @Test
    void exceptionTypeIsWhatTheCallerReceives() throws Exception {
        try (Session session = database.openSession()) {
            session.execute("INSERT INTO users (id, email) VALUES (?, ?)", 1, SENTINEL);
            // through connection(): the JDBC caller gets the driver's SQLException
            try (java.sql.PreparedStatement ps = session.connection()
                    .prepareStatement("INSERT INTO users (id, email) VALUES (?, ?)")) {
                ps.setInt(1, 2);
                ps.setString(2, SENTINEL);
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(java.sql.SQLException.class)
                        .isNotInstanceOf(DataAccessException.class);
            }
            // through the helper: the caller gets the mapped exception
            assertThatThrownBy(() -> session.execute("INSERT INTO users (id, email) VALUES (?, ?)", 3, SENTINEL))
                    .isInstanceOf(db.api.DuplicateKeyException.class);
        }
        List<SpanData> failed = statementSpans().subList(1, 3);
        assertThat(failed).extracting(s -> s.getEvents().get(0).getAttributes().get(AttributeKey.stringKey("exception.type")))
                .containsExactly("org.postgresql.util.PSQLException", "db.api.DuplicateKeyException");
        assertThat(failed.get(0).getEvents().get(0).getAttributes().get(AttributeKey.stringKey("exception.message")))
                .isNull();
        assertThat(failed).allSatisfy(s -> assertThat(s.getAttributes().get(STATUS_CODE)).isEqualTo("23505"));
        assertThat(spans.getFinishedSpanItems().toString()).doesNotContain(SENTINEL);
    }

    @Test
    void transactionsAreSpansWithTheirRetriesCommitAndRollback() {
        database.close();
        database = Database.open(config("otel-e2e-tx").property(OpenTelemetryInstrumenter.TRANSACTIONS, "true").build());
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        int inserted = database.inTransaction(db.api.TxOptions.builder().isolation(db.api.Isolation.SERIALIZABLE)
                .maxAttempts(3).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build(), s -> {
                    s.execute("INSERT INTO users (id, email) VALUES (?, ?)", 10, "t@x");
                    if (attempts.incrementAndGet() == 1) {
                        // a real server error with a retryable SQLSTATE
                        s.execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$");
                    }
                    return 1;
                });
        assertThat(inserted).isEqualTo(1);
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData tx = all.stream().filter(s -> s.getName().equals("transaction")).findFirst().orElseThrow();
        assertThat(tx.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(tx.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(tx.getAttributes().get(AttributeKey.stringKey("switchboard.transaction.isolation")))
                .isEqualTo("SERIALIZABLE");
        assertThat(tx.getAttributes().get(AttributeKey.longKey("switchboard.transaction.attempts"))).isEqualTo(2L);
        assertThat(tx.getAttributes().get(AttributeKey.stringKey("switchboard.transaction.outcome"))).isEqualTo("committed");
        assertThat(tx.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("switchboard.transaction.retry");
            assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                    .isEqualTo("db.api.SerializationFailureException");
            assertThat(event.getAttributes().get(STATUS_CODE)).isEqualTo("40001");
            assertThat(event.getAttributes().get(AttributeKey.longKey("switchboard.transaction.attempt"))).isEqualTo(1L);
            assertThat(event.getAttributes().get(AttributeKey.doubleKey("switchboard.transaction.backoff")))
                    .isGreaterThan(0.0).isLessThanOrEqualTo(0.05);
        });
        List<SpanData> children = all.stream().filter(s -> s.getParentSpanId().equals(tx.getSpanId()))
                .collect(Collectors.toList());
        assertThat(children).extracting(SpanData::getName).containsExactly(
                "INSERT users", "DO", "ROLLBACK", "INSERT users", "COMMIT");
        assertThat(children).allSatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT));
        assertThat(children.get(4).getAttributes().get(SUMMARY)).isEqualTo("COMMIT");

        // a work failure: rolled back, the type the caller receives
        assertThatThrownBy(() -> database.inTransaction(s -> {
            s.execute("INSERT INTO users (id, email) VALUES (?, ?)", 11, "u@x");
            throw new IllegalStateException("no");
        })).isInstanceOf(IllegalStateException.class);
        SpanData failedTx = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("transaction"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(failedTx.getAttributes().get(AttributeKey.stringKey("switchboard.transaction.outcome")))
                .isEqualTo("rolled_back");
        assertThat(failedTx.getAttributes().get(ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
        assertThat(failedTx.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(spans.getFinishedSpanItems().stream().filter(s -> s.getParentSpanId().equals(failedTx.getSpanId())))
                .extracting(SpanData::getName).containsExactly("INSERT users", "ROLLBACK");
    }

    @Test
    void aCommitWhoseAnswerNeverComesIsATransactionWithAnUnknownOutcome() throws Exception {
        database.close();
        Duration networkTimeout = Duration.ofSeconds(1);
        TransactionOutcomeUnknownException thrown;
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(TestDatabase.get().jdbcUrl(), TcpProxy.Mode.FORWARD)) {
            database = Database.open(config("otel-e2e-unknown", proxy.rewrite(schema.jdbcUrl()))
                    .property(OpenTelemetryInstrumenter.TRANSACTIONS, "true")
                    .property("db.network-timeout", networkTimeout.toString()).build());
            try {
                database.runInTransaction(s -> {
                    s.execute("INSERT INTO users (id, email) VALUES (?, ?)", 30, "unknown@x");
                    // what follows is the COMMIT: it reaches the server, its answer is held back
                    proxy.stall(TcpProxy.Direction.DOWNSTREAM);
                });
                throw new AssertionError("the COMMIT's answer was held back, yet the transaction succeeded");
            } catch (TransactionOutcomeUnknownException e) {
                thrown = e;
            } finally {
                proxy.resume();
                database.close();
            }
        }
        // the server did commit: "unknown" is the truth, "rolled_back" would have been a lie
        try (Connection direct = TestDatabase.get().connect(); Statement statement = direct.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + schema.name() + ".users WHERE id = 30")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        assertThat(thrown.sqlState()).as("the connection failure's SQLSTATE").startsWith("08");

        List<SpanData> all = spans.getFinishedSpanItems();
        List<SpanData> transactions = all.stream().filter(s -> s.getName().equals("transaction"))
                .collect(Collectors.toList());
        assertThat(transactions).hasSize(1);
        SpanData tx = transactions.get(0);
        assertThat(tx.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(tx.getAttributes().get(AttributeKey.stringKey("switchboard.transaction.outcome"))).isEqualTo("unknown");
        assertThat(tx.getAttributes().get(AttributeKey.longKey("switchboard.transaction.attempts"))).isEqualTo(1L);
        assertThat(tx.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(tx.getAttributes().get(ERROR_TYPE)).isEqualTo(thrown.sqlState());
        assertThat(tx.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                    .isEqualTo(TransactionOutcomeUnknownException.class.getName());
        });

        List<SpanData> children = all.stream().filter(s -> s.getParentSpanId().equals(tx.getSpanId()))
                .collect(Collectors.toList());
        assertThat(children).extracting(SpanData::getName).containsExactly("INSERT users", "COMMIT");
        SpanData commit = children.get(1);
        assertThat(commit.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(commit.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(commit.getAttributes().get(STATUS_CODE)).isEqualTo(thrown.sqlState());
        assertThat(commit.getAttributes().get(ERROR_TYPE)).isEqualTo(thrown.sqlState());
        assertThat(commit.getEvents()).singleElement().satisfies(event -> assertThat(
                event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                .isEqualTo(TransactionOutcomeUnknownException.class.getName()));
        // the span covers the wait for an answer, up to the network timeout
        assertThat(Duration.ofNanos(commit.getEndEpochNanos() - commit.getStartEpochNanos()))
                .isGreaterThanOrEqualTo(networkTimeout.minusMillis(100));
        assertThat(metric(metrics.collectAllMetrics(), "db.client.operation.duration").getHistogramData().getPoints())
                .anySatisfy(p -> {
                    assertThat(p.getAttributes().get(SUMMARY)).isEqualTo("COMMIT");
                    assertThat(p.getAttributes().get(STATUS_CODE)).isEqualTo(thrown.sqlState());
                });
        assertThat(all.toString()).doesNotContain("unknown@x");
    }

    @Test
    void noPhantomCommitAndNothingWhenTransactionsAreOff() throws Exception {
        database.close();
        database = Database.open(config("otel-e2e-notx").property(OpenTelemetryInstrumenter.TRANSACTIONS, "true").build());
        try (Session session = database.openSession()) {
            Connection connection = session.connection();
            connection.setAutoCommit(false);
            session.execute("INSERT INTO users (id, email) VALUES (?, ?)", 20, "p@x");
            connection.setAutoCommit(true); // commits in the driver: no COMMIT statement of ours, no span
        }
        assertThat(statementSpans()).extracting(SpanData::getName).containsExactly("INSERT users");
        spans.reset();
        database.close();
        database = Database.open(config("otel-e2e-txoff").build());
        database.inTransaction(s -> s.execute("INSERT INTO users (id, email) VALUES (?, ?)", 21, "q@x"));
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("INSERT users");
    }

    @Test
    void checkoutTimeoutsAreCounted() {
        database.close();
        database = Database.open(config("otel-e2e-timeouts").maxSize(1).minSize(1)
                .checkoutTimeout(Duration.ofMillis(200)).build());
        try (Session holder = database.openSession()) {
            holder.query("SELECT 1", rs -> rs.getInt(1));
            assertThatThrownBy(database::openSession).isInstanceOf(PoolExhaustedException.class);
        }
        MetricData timeouts = metric(metrics.collectAllMetrics(), "db.client.connection.timeouts");
        assertThat(timeouts.getLongSumData().getPoints()).singleElement().satisfies(p -> {
            assertThat(p.getValue()).isEqualTo(1);
            assertThat(p.getAttributes().get(POOL_NAME)).isEqualTo("otel-e2e-timeouts");
        });
    }

    private DbConfig.Builder config(String poolName) {
        return config(poolName, schema.jdbcUrl());
    }

    private DbConfig.Builder config(String poolName, String url) {
        TestDatabase db = TestDatabase.get();
        // Both pools are on the test class path: c3p0 unless a test chooses.
        DbConfig.Builder config = DbConfig.builder().url(url).poolName(poolName).sessionProvider("c3p0")
                .minSize(1).maxSize(2).extension(OpenTelemetry.class, sdk);
        if (db.user() != null) {
            config.user(db.user());
        }
        if (db.password() != null) {
            config.password(db.password());
        }
        return config;
    }

    /** Spans of statements (CLIENT), without the test's own parents, in the order they ended. */
    private List<SpanData> statementSpans() {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT)
                .collect(Collectors.toList());
    }

    private static MetricData metric(Collection<MetricData> collected, String name) {
        return collected.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + collected.stream()
                        .map(MetricData::getName).collect(Collectors.toList())));
    }
}
