package db.tracing.otel.internal;

import static db.tracing.otel.internal.SemconvKeys.DB_NAMESPACE;
import static db.tracing.otel.internal.SemconvKeys.DB_OPERATION_BATCH_SIZE;
import static db.tracing.otel.internal.SemconvKeys.DB_QUERY_SUMMARY;
import static db.tracing.otel.internal.SemconvKeys.DB_QUERY_TEXT;
import static db.tracing.otel.internal.SemconvKeys.DB_RESPONSE_STATUS_CODE;
import static db.tracing.otel.internal.SemconvKeys.DB_SYSTEM_NAME;
import static db.tracing.otel.internal.SemconvKeys.ERROR_TYPE;
import static db.tracing.otel.internal.SemconvKeys.EXCEPTION_MESSAGE;
import static db.tracing.otel.internal.SemconvKeys.EXCEPTION_STACKTRACE;
import static db.tracing.otel.internal.SemconvKeys.EXCEPTION_TYPE;
import static db.tracing.otel.internal.SemconvKeys.SERVER_ADDRESS;
import static db.tracing.otel.internal.SemconvKeys.SERVER_PORT;
import static org.assertj.core.api.Assertions.assertThat;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.DuplicateKeyException;
import db.api.ErrorDetails;
import db.api.PoolExhaustedException;
import db.api.PoolStats;
import db.api.PoolStatus;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the instrumentation through the SPI, against the real OpenTelemetry SDK. */
@SuppressWarnings("try") // Scope resources exist for their close()
class OtelInstrumentationTest {

    private static final DatabaseTarget TARGET = new DatabaseTarget("db.example", 6543, "shop", "app");
    private static final String SENTINEL = "SENTINEL-ROW-VALUE-4711";
    /** Never recorded: the conventions say not to extract it from the text for SQL. */
    private static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("db.operation.name");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private OpenTelemetrySdk sdk;
    private final AtomicInteger statsCalls = new AtomicInteger();

    private PoolStats stats() {
        statsCalls.incrementAndGet();
        return new PoolStats("orders-pool", 5, 3, 2, 1, 10, 2, 0, 0, 5, 0, 4, 9, 3, Duration.ZERO, false);
    }

    @BeforeEach
    void setUp() {
        sdk = InMemoryTelemetry.into(spans, metrics);
    }

    @AfterEach
    void tearDown() {
        sdk.close();
    }

    private OtelInstrumentation open(TracingOptions options, DatabaseTarget target) {
        return new OtelInstrumentation(sdk, options, target, "orders-pool", this::stats);
    }

    private OtelInstrumentation open() {
        return open(TracingOptions.DEFAULTS, TARGET);
    }

    private static void run(OtelInstrumentation instrumentation, QueryContext query, QueryOutcome outcome) {
        instrumentation.beforeQuery(query).end(outcome);
    }

    private SpanData onlySpan() {
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSize(1);
        return finished.get(0);
    }

    @Test
    void selectSpanCarriesEveryAttribute() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("SELECT * FROM users WHERE id = ?", true, 0), QueryOutcome.success(-1));
        }
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("SELECT users");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("db.tracing.otel");
        assertThat(span.getAttributes().asMap()).containsOnly(
                entry(DB_SYSTEM_NAME, "postgresql"),
                entry(DB_NAMESPACE, "shop"),
                entry(SERVER_ADDRESS, "db.example"),
                entry(SERVER_PORT, 6543L),
                entry(DB_QUERY_TEXT, "SELECT * FROM users WHERE id = ?"),
                entry(DB_QUERY_SUMMARY, "SELECT users"));
        assertThat(span.getInstrumentationScopeInfo().getVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(span.getInstrumentationScopeInfo().getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.44.0");
    }

    @Test
    void insertUpdateDeleteAreNamedBySummary() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("INSERT INTO orders (id) VALUES (?)", true, 0), QueryOutcome.success(1));
            run(instrumentation, new QueryContext("UPDATE orders SET total = ? WHERE id = ?", true, 0),
                    QueryOutcome.success(1));
            run(instrumentation, new QueryContext("DELETE FROM orders WHERE id = ?", true, 0), QueryOutcome.success(1));
            run(instrumentation, new QueryContext("INSERT INTO orders SELECT * FROM carts", true, 0),
                    QueryOutcome.success(3));
        }
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactly("INSERT orders", "UPDATE orders", "DELETE orders", "INSERT orders SELECT carts");
        assertThat(spans.getFinishedSpanItems()).extracting(s -> s.getAttributes().get(OPERATION_NAME))
                .containsOnlyNulls();
        assertThat(spans.getFinishedSpanItems()).allSatisfy(s -> {
            assertThat(s.getAttributes().get(DB_OPERATION_BATCH_SIZE)).isNull();
            assertThat(s.getAttributes().get(DB_SYSTEM_NAME)).isEqualTo("postgresql");
        });
    }

    @Test
    void aStatementOnAnotherHostOfTheUrlCarriesThatHostOnItsSpanAndMeasurement() {
        DatabaseTarget promoted = new DatabaseTarget("db2.example", 6544, "shop", "app");
        DatabaseTarget standardPort = new DatabaseTarget("db3.example", 5432, "shop", "app");
        String sql = "INSERT INTO orders (id) VALUES (?)";
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext(sql, true, 0, false, TARGET), QueryOutcome.success(1));
            run(instrumentation, new QueryContext(sql, true, 0, false, promoted), QueryOutcome.success(1));
            run(instrumentation, new QueryContext(sql, true, 0, false, standardPort), QueryOutcome.success(1));
            run(instrumentation, new QueryContext(sql, true, 0), QueryOutcome.success(1)); // host not known
            run(instrumentation, new QueryContext(sql, true, 2, true, promoted), QueryOutcome.success(2));
        }
        assertThat(spans.getFinishedSpanItems())
                .extracting(s -> s.getAttributes().get(SERVER_ADDRESS), s -> s.getAttributes().get(SERVER_PORT))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("db.example", 6543L),
                        org.assertj.core.groups.Tuple.tuple("db2.example", 6544L),
                        org.assertj.core.groups.Tuple.tuple("db3.example", null),
                        org.assertj.core.groups.Tuple.tuple("db.example", 6543L),
                        org.assertj.core.groups.Tuple.tuple("db2.example", 6544L));
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> {
            assertThat(span.getAttributes().get(DB_NAMESPACE)).isEqualTo("shop");
            assertThat(span.getAttributes().get(DB_QUERY_TEXT)).isEqualTo(sql);
        });
        assertThat(metric("db.client.operation.duration").getHistogramData().getPoints())
                .filteredOn(p -> "INSERT orders".equals(p.getAttributes().get(DB_QUERY_SUMMARY)))
                .extracting(p -> p.getAttributes().get(SERVER_ADDRESS), p -> p.getCount())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("db.example", 2L),
                        org.assertj.core.groups.Tuple.tuple("db2.example", 1L),
                        org.assertj.core.groups.Tuple.tuple("db3.example", 1L));
    }

    @Test
    void aStandbysPoolMetricsCarryTheReplicaRole() {
        try (OtelInstrumentation instrumentation = new OtelInstrumentation(sdk, TracingOptions.DEFAULTS, TARGET, "shop",
                "orders-pool-replica", PoolStatus.Role.REPLICA, this::stats)) {
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofMillis(20)));
            Collection<MetricData> collected = metrics.collectAllMetrics();
            assertThat(collected).filteredOn(m -> m.getName().startsWith("db.client.connection."))
                    .extracting(MetricData::getName)
                    .contains("db.client.connection.count", "db.client.connection.max",
                            "db.client.connection.wait_time");
            assertThat(collected).filteredOn(m -> m.getName().startsWith("db.client.connection."))
                    .flatExtracting(m -> m.getData().getPoints())
                    .allSatisfy(p -> {
                        assertThat(p.getAttributes().get(SemconvKeys.POOL_ROLE)).isEqualTo("replica");
                        assertThat(p.getAttributes().get(AttributeKey.stringKey("db.client.connection.pool.name")))
                                .isEqualTo("orders-pool-replica");
                    });
        }
    }

    @Test
    void defaultPortIsNotRecorded() {
        try (OtelInstrumentation instrumentation = open(TracingOptions.DEFAULTS,
                new DatabaseTarget("localhost", 5432, "test", null))) {
            run(instrumentation, new QueryContext("SELECT 1", false, 0), QueryOutcome.success(-1));
        }
        SpanData span = onlySpan();
        assertThat(span.getAttributes().get(SERVER_PORT)).isNull();
        assertThat(span.getAttributes().get(SERVER_ADDRESS)).isEqualTo("localhost");
        assertThat(span.getName()).isEqualTo("SELECT");
    }

    @Test
    void literalsAreSanitizedButParameterizedTextIsKept() {
        String withLiterals = "SELECT * FROM people WHERE name = 'Jane " + SENTINEL + "' AND age IN (41, 42)";
        String parameterized = "SELECT * FROM people WHERE kind = 'vip' AND id = ?";
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext(withLiterals, false, 0), QueryOutcome.success(-1));
            run(instrumentation, new QueryContext(parameterized, true, 0), QueryOutcome.success(-1));
        }
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished.get(0).getAttributes().get(DB_QUERY_TEXT))
                .isEqualTo("SELECT * FROM people WHERE name = ? AND age IN (?)");
        assertThat(finished.get(0).toString()).doesNotContain(SENTINEL);
        assertThat(finished.get(1).getAttributes().get(DB_QUERY_TEXT)).isEqualTo(parameterized);
    }

    @Test
    void preparedStatementWithoutBindMarkersIsSanitized() {
        // e.g. prepareStatement("... 'why?' ...") counts as parameterized for a naive '?' search
        String sql = "UPDATE people SET note = 'why? " + SENTINEL + "' WHERE id = 7";
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext(sql, true, 0), QueryOutcome.success(1));
        }
        assertThat(onlySpan().getAttributes().get(DB_QUERY_TEXT)).isEqualTo("UPDATE people SET note = ? WHERE id = ?");
    }

    @Test
    void batchOfTwoOrMoreIsMarked() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("INSERT INTO orders (id) VALUES (?)", true, 3), QueryOutcome.success(3));
            run(instrumentation, new QueryContext("INSERT INTO orders (id) VALUES (?)", true, 1), QueryOutcome.success(1));
        }
        List<SpanData> finished = spans.getFinishedSpanItems();
        SpanData batch = finished.get(0);
        assertThat(batch.getName()).isEqualTo("BATCH INSERT orders");
        assertThat(batch.getAttributes().get(DB_QUERY_SUMMARY)).isEqualTo("BATCH INSERT orders");
        assertThat(batch.getAttributes().get(OPERATION_NAME)).isNull();
        assertThat(batch.getAttributes().get(DB_OPERATION_BATCH_SIZE)).isEqualTo(3L);
        SpanData single = finished.get(1);
        assertThat(single.getName()).isEqualTo("INSERT orders");
        assertThat(single.getAttributes().get(DB_OPERATION_BATCH_SIZE)).isNull();
    }

    @Test
    void batchOfDifferentStatementsIsNamedBatch() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("INSERT INTO a VALUES (1); UPDATE b SET x = 2", false, 2),
                    QueryOutcome.success(2));
        }
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("BATCH");
        assertThat(span.getAttributes().get(OPERATION_NAME)).isNull();
        assertThat(span.getAttributes().get(DB_QUERY_TEXT)).isEqualTo("INSERT INTO a VALUES (?); UPDATE b SET x = ?");
    }

    @Test
    void batchOfIdenticalStatementsRecordsTheTextOnce() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("insert into a values (1); insert into a values ('" + SENTINEL + "')",
                    false, 2), QueryOutcome.success(2));
        }
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("BATCH insert a");
        assertThat(span.getAttributes().get(DB_QUERY_TEXT)).isEqualTo("insert into a values (?)");
        assertThat(span.getAttributes().get(DB_OPERATION_BATCH_SIZE)).isEqualTo(2L);
    }

    @Test
    void emptyBatchIsNamedBatchWithSizeZero() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("", false, 0, true), QueryOutcome.success(0));
        }
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("BATCH");
        assertThat(span.getAttributes().get(DB_QUERY_SUMMARY)).isEqualTo("BATCH");
        assertThat(span.getAttributes().get(DB_OPERATION_BATCH_SIZE)).isZero();
        assertThat(span.getAttributes().get(DB_QUERY_TEXT)).isNull();
    }

    @Test
    void namespaceCarriesTheSchemaFixedAtConnect() {
        assertThat(OtelInstrumentation.namespace("shop", java.util.Map.of())).isEqualTo("shop");
        assertThat(OtelInstrumentation.namespace("shop", java.util.Map.of("currentSchema", "Sales,public")))
                .isEqualTo("shop|Sales");
        assertThat(OtelInstrumentation.namespace("shop", java.util.Map.of("options", "-c search_path=billing,public")))
                .isEqualTo("shop|billing");
        assertThat(OtelInstrumentation.namespace("shop", java.util.Map.of("options", "-csearch_path=a -c work_mem=4MB")))
                .isEqualTo("shop|a");
        assertThat(OtelInstrumentation.namespace("shop", java.util.Map.of("options", "--search-path=b")))
                .isEqualTo("shop|b");
        assertThat(OtelInstrumentation.namespace("shop", java.util.Map.of("currentSchema", "\"$user\", public")))
                .isEqualTo("shop");
        assertThat(OtelInstrumentation.namespace("shop",
                java.util.Map.of("currentSchema", "x", "options", "-c search_path=y"))).isEqualTo("shop|x");
    }

    @Test
    void slowCheckoutIsAnEventOnTheFirstStatementsSpanOnly() {
        try (OtelInstrumentation instrumentation = open()) {
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofMillis(250)));
            run(instrumentation, new QueryContext("SELECT 1", false, 0), QueryOutcome.success(-1));
            run(instrumentation, new QueryContext("SELECT 2", false, 0), QueryOutcome.success(-1));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, Duration.ofMillis(5)));
            // fast: no event
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofMillis(99)));
            run(instrumentation, new QueryContext("SELECT 3", false, 0), QueryOutcome.success(-1));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, Duration.ofMillis(5)));
            // slow, but released without a statement: nothing carries over to the next session
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofSeconds(1)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, Duration.ofMillis(5)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ZERO));
            run(instrumentation, new QueryContext("SELECT 4", false, 0), QueryOutcome.success(-1));
        }
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSize(4);
        assertThat(finished.get(0).getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("db.client.connection.slow_checkout");
            assertThat(event.getAttributes().get(AttributeKey.doubleKey("switchboard.checkout.wait"))).isEqualTo(0.25);
            assertThat(event.getAttributes().get(AttributeKey.stringKey("db.client.connection.pool.name")))
                    .isEqualTo("orders-pool");
            assertThat(event.getAttributes().get(AttributeKey.longKey("switchboard.pool.busy"))).isEqualTo(2L);
            assertThat(event.getAttributes().get(AttributeKey.longKey("switchboard.pool.pending"))).isEqualTo(1L);
            assertThat(event.getAttributes().get(AttributeKey.longKey("switchboard.pool.max"))).isEqualTo(10L);
        });
        assertThat(finished.subList(1, 4)).allSatisfy(span -> assertThat(span.getEvents()).isEmpty());
    }

    @Test
    void slowCheckoutSpanIsOptInAndCoversTheWait() {
        TracingOptions options = new TracingOptions(true, false, false, Duration.ofMillis(50), true, false);
        Span parent = sdk.getTracer("test").spanBuilder("request").startSpan();
        try (OtelInstrumentation instrumentation = open(options, TARGET); Scope ignored = parent.makeCurrent()) {
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofMillis(40)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofMillis(300)));
            run(instrumentation, new QueryContext("SELECT 1", false, 0), QueryOutcome.success(-1));
        } finally {
            parent.end();
        }
        List<SpanData> checkouts = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("checkout")).collect(java.util.stream.Collectors.toList());
        assertThat(checkouts).singleElement().satisfies(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(span.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
            assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isEqualTo(300_000_000L);
            assertThat(span.getAttributes().get(AttributeKey.doubleKey("switchboard.checkout.wait"))).isEqualTo(0.3);
        });
    }

    @Test
    void slowCheckoutReportingCanBeTurnedOff() {
        TracingOptions options = new TracingOptions(true, false, false, Duration.ZERO, true, false);
        try (OtelInstrumentation instrumentation = open(options, TARGET)) {
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofSeconds(5)));
            run(instrumentation, new QueryContext("SELECT 1", false, 0), QueryOutcome.success(-1));
        }
        assertThat(onlySpan().getEvents()).isEmpty();
    }

    @Test
    void exceptionTypeIsTheDriversWhenTheCallerGetsTheDriversException() {
        SQLException driver = new SQLException("Key (email)=(" + SENTINEL + ") already exists", "23505");
        DataAccessException mapped = new DuplicateKeyException("duplicate key violates users_email_key", driver,
                new ErrorDetails("23505", "public", "users", null, "users_email_key", null));
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("INSERT INTO users VALUES (?)", true, 0),
                    new QueryOutcome(-1, driver, mapped, false));
        }
        SpanData span = onlySpan();
        assertThat(span.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getAttributes().get(EXCEPTION_TYPE)).isEqualTo("java.sql.SQLException");
            assertThat(event.getAttributes().get(EXCEPTION_MESSAGE)).isNull();
            assertThat(event.getAttributes().get(EXCEPTION_STACKTRACE)).startsWith("java.sql.SQLException\n");
        });
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("23505");
        assertThat(span.toString()).doesNotContain(SENTINEL);
    }

    @Test
    void callRecordsTheProcedure() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("CALL billing.close_month(?)", true, 0), QueryOutcome.success(-1));
        }
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("CALL billing.close_month");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("db.stored_procedure.name")))
                .isEqualTo("billing.close_month");
        assertThat(span.getAttributes().get(OPERATION_NAME)).isNull();
    }

    @Test
    void unrecognisedStatementIsNamedAfterTheSystem() {
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("VALUES (1)", false, 0), QueryOutcome.success(-1));
        }
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("postgresql");
        assertThat(span.getAttributes().get(DB_QUERY_SUMMARY)).isNull();
        assertThat(span.getAttributes().get(OPERATION_NAME)).isNull();
    }

    @Test
    void failureRecordsSqlStateAndTheMappedExceptionWithoutPii() {
        SQLException driver = new SQLException(
                "ERROR: duplicate key value violates unique constraint \"users_email_key\"\n"
                        + "  Detail: Key (email)=(" + SENTINEL + "@example.com) already exists.", "23505");
        driver.setNextException(new SQLException("next " + SENTINEL, "23505"));
        DataAccessException mapped = new DuplicateKeyException("duplicate key violates users_email_key on users",
                driver, new ErrorDetails("23505", "public", "users", null, "users_email_key", null));
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("INSERT INTO users (email) VALUES (?)", true, 0),
                    new QueryOutcome(-1, driver, mapped));
        }
        SpanData span = onlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(DB_RESPONSE_STATUS_CODE)).isEqualTo("23505");
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("23505");
        assertThat(span.getEvents()).hasSize(1);
        EventData event = span.getEvents().get(0);
        assertThat(event.getName()).isEqualTo("exception");
        assertThat(event.getAttributes().get(EXCEPTION_TYPE)).isEqualTo("db.api.DuplicateKeyException");
        assertThat(event.getAttributes().get(EXCEPTION_MESSAGE)).isEqualTo("duplicate key violates users_email_key on users");
        assertThat(event.getAttributes().get(EXCEPTION_STACKTRACE))
                .startsWith("db.api.DuplicateKeyException: duplicate key violates")
                .contains("Caused by: java.sql.SQLException\n")
                .contains(OtelInstrumentationTest.class.getName());
        assertThat(span.toString()).doesNotContain(SENTINEL);
        assertThat(String.valueOf(metrics.collectAllMetrics())).doesNotContain(SENTINEL);
    }

    @Test
    void failureWithoutSqlStateUsesTheExceptionClass() {
        SQLException driver = new SQLException("connection pool gave up, user secret " + SENTINEL);
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("SELECT 1", true, 0),
                    new QueryOutcome(-1, driver, new PoolExhaustedException("no connection within 30s", driver)));
            run(instrumentation, new QueryContext("SELECT 2", true, 0), new QueryOutcome(-1, driver, null));
        }
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished.get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("db.api.PoolExhaustedException");
        assertThat(finished.get(0).getAttributes().get(DB_RESPONSE_STATUS_CODE)).isNull();
        assertThat(finished.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        // Nothing mapped: the driver's class, and no message at all, since the driver's may carry values.
        assertThat(finished.get(1).getAttributes().get(ERROR_TYPE)).isEqualTo("java.sql.SQLException");
        EventData event = finished.get(1).getEvents().get(0);
        assertThat(event.getAttributes().get(EXCEPTION_TYPE)).isEqualTo("java.sql.SQLException");
        assertThat(event.getAttributes().get(EXCEPTION_MESSAGE)).isNull();
        assertThat(finished.toString()).doesNotContain(SENTINEL);
    }

    @Test
    void nestsUnderTheCurrentSpan() {
        Span parent = sdk.getTracer("test").spanBuilder("handle request").startSpan();
        try (OtelInstrumentation instrumentation = open(); Scope ignored = parent.makeCurrent()) {
            run(instrumentation, new QueryContext("SELECT * FROM users", true, 0), QueryOutcome.success(-1));
        } finally {
            parent.end();
        }
        SpanData child = spans.getFinishedSpanItems().get(0);
        assertThat(child.getName()).isEqualTo("SELECT users");
        assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(child.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
    }

    @Test
    void requireParentSkipsRootSpansButStillMeasures() {
        TracingOptions options = new TracingOptions(true, true, false);
        Span parent = sdk.getTracer("test").spanBuilder("job").startSpan();
        try (OtelInstrumentation instrumentation = open(options, TARGET)) {
            run(instrumentation, new QueryContext("SELECT * FROM orphans", true, 0), QueryOutcome.success(-1));
            try (Scope ignored = parent.makeCurrent()) {
                run(instrumentation, new QueryContext("SELECT * FROM children", true, 0), QueryOutcome.success(-1));
            }
        } finally {
            parent.end();
        }
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactly("SELECT children", "job");
        MetricData duration = metric("db.client.operation.duration");
        assertThat(duration.getHistogramData().getPoints())
                .extracting(p -> p.getAttributes().get(DB_QUERY_SUMMARY))
                .containsExactlyInAnyOrder("SELECT orphans", "SELECT children");
    }

    @Test
    void queryTextCanBeTurnedOff() {
        try (OtelInstrumentation instrumentation = open(new TracingOptions(false, false, false), TARGET)) {
            run(instrumentation, new QueryContext("SELECT * FROM users WHERE id = ?", true, 0), QueryOutcome.success(-1));
        }
        SpanData span = onlySpan();
        assertThat(span.getAttributes().get(DB_QUERY_TEXT)).isNull();
        assertThat(span.getAttributes().get(DB_QUERY_SUMMARY)).isEqualTo("SELECT users");
    }

    @Test
    void endingTwiceRecordsOnce() {
        try (OtelInstrumentation instrumentation = open()) {
            QueryObservation observation = instrumentation.beforeQuery(new QueryContext("SELECT 1", true, 0));
            observation.end(QueryOutcome.success(-1));
            observation.end(QueryOutcome.success(-1));
        }
        assertThat(spans.getFinishedSpanItems()).hasSize(1);
        assertThat(metric("db.client.operation.duration").getHistogramData().getPoints())
                .singleElement().satisfies(p -> assertThat(p.getCount()).isEqualTo(1));
    }

    @Test
    void operationDurationHistogram() {
        SQLException driver = new SQLException("boom " + SENTINEL, "40001");
        try (OtelInstrumentation instrumentation = open()) {
            run(instrumentation, new QueryContext("SELECT * FROM users WHERE id = ?", true, 0), QueryOutcome.success(-1));
            run(instrumentation, new QueryContext("SELECT * FROM users WHERE id = ?", true, 0), QueryOutcome.success(-1));
            run(instrumentation, new QueryContext("UPDATE users SET x = 1", false, 0), new QueryOutcome(-1, driver,
                    new db.api.SerializationFailureException("could not serialize access", driver,
                            ErrorDetails.ofSqlState("40001"))));
        }
        MetricData duration = metric("db.client.operation.duration");
        assertThat(duration.getUnit()).isEqualTo("s");
        assertThat(duration.getInstrumentationScopeInfo().getName()).isEqualTo("db.tracing.otel");
        Collection<HistogramPointData> points = duration.getHistogramData().getPoints();
        assertThat(points).hasSize(2);
        HistogramPointData select = point(points, "SELECT users");
        assertThat(select.getCount()).isEqualTo(2);
        assertThat(select.getBoundaries()).isEqualTo(Seconds.DURATION_BUCKETS);
        assertThat(select.getAttributes().asMap()).containsOnly(
                entry(DB_SYSTEM_NAME, "postgresql"),
                entry(DB_NAMESPACE, "shop"),
                entry(SERVER_ADDRESS, "db.example"),
                entry(SERVER_PORT, 6543L),
                entry(DB_QUERY_SUMMARY, "SELECT users"));
        HistogramPointData update = point(points, "UPDATE users");
        assertThat(update.getAttributes().get(DB_RESPONSE_STATUS_CODE)).isEqualTo("40001");
        assertThat(update.getAttributes().get(ERROR_TYPE)).isEqualTo("40001");
        assertThat(update.getAttributes().get(DB_QUERY_TEXT)).isNull();
        assertThat(update.getSum()).isGreaterThanOrEqualTo(0.0).isLessThan(60.0);
    }

    @Test
    void poolEventHistogramsAndTimeoutCounter() {
        try (OtelInstrumentation instrumentation = open()) {
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofMillis(20)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofMillis(30)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.RELEASE, Duration.ofMillis(1500)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CONNECTION_CREATED, Duration.ofMillis(7)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.TIMEOUT, Duration.ofSeconds(30)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.TIMEOUT, Duration.ofSeconds(30)));
            instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.LEAK, Duration.ofMinutes(5)));
        }
        Attributes pool = Attributes.of(AttributeKey.stringKey("db.client.connection.pool.name"), "orders-pool",
                SemconvKeys.POOL_ROLE, "primary");
        assertHistogram("db.client.connection.wait_time", pool, 2, 0.05);
        assertHistogram("db.client.connection.use_time", pool, 1, 1.5);
        assertHistogram("db.client.connection.create_time", pool, 1, 0.007);
        MetricData timeouts = metric("db.client.connection.timeouts");
        assertThat(timeouts.getUnit()).isEqualTo("{timeout}");
        assertThat(timeouts.getLongSumData().isMonotonic()).isTrue();
        assertThat(timeouts.getLongSumData().getPoints()).singleElement().satisfies(p -> {
            assertThat(p.getValue()).isEqualTo(2);
            assertThat(p.getAttributes()).isEqualTo(pool);
        });
    }

    @Test
    void poolGaugesComeFromStatsAndStopOnClose() {
        OtelInstrumentation instrumentation = open();
        Collection<MetricData> collected = metrics.collectAllMetrics();
        MetricData count = find(collected, "db.client.connection.count").orElseThrow();
        assertThat(count.getUnit()).isEqualTo("{connection}");
        assertThat(count.getLongSumData().isMonotonic()).isFalse();
        assertThat(count.getLongSumData().getPoints())
                .extracting(p -> p.getAttributes().get(AttributeKey.stringKey("db.client.connection.state")),
                        LongPointData::getValue)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("idle", 3L),
                        org.assertj.core.groups.Tuple.tuple("used", 2L));
        assertThat(count.getLongSumData().getPoints()).allSatisfy(p -> assertThat(
                p.getAttributes().get(AttributeKey.stringKey("db.client.connection.pool.name"))).isEqualTo("orders-pool"));
        assertGauge(collected, "db.client.connection.max", "{connection}", 10);
        assertGauge(collected, "db.client.connection.idle.max", "{connection}", 10);
        assertGauge(collected, "db.client.connection.idle.min", "{connection}", 2);
        assertGauge(collected, "db.client.connection.pending_requests", "{request}", 1);
        for (String[] counter : new String[][] {{"switchboard.pool.rejected", "{request}", "4"},
            {"switchboard.pool.connect_attempts", "{attempt}", "9"}, {"switchboard.pool.connect_failures", "{attempt}", "3"}}) {
            MetricData m = find(collected, counter[0]).orElseThrow();
            assertThat(m.getUnit()).isEqualTo(counter[1]);
            assertThat(m.getLongSumData().isMonotonic()).as(counter[0]).isTrue();
            assertThat(m.getLongSumData().getPoints()).singleElement().satisfies(p -> {
                assertThat(p.getValue()).isEqualTo(Long.parseLong(counter[2]));
                assertThat(p.getAttributes().get(AttributeKey.stringKey("db.client.connection.pool.name")))
                        .isEqualTo("orders-pool");
            });
        }
        assertThat(statsCalls.get()).as("one stats read per collection").isEqualTo(1);

        instrumentation.close();
        int before = statsCalls.get();
        Collection<MetricData> afterClose = metrics.collectAllMetrics();
        assertThat(statsCalls.get()).isEqualTo(before);
        assertThat(find(afterClose, "db.client.connection.count")).isEmpty();
    }

    @Test
    void brokenStatsSupplierDoesNotBreakCollection() {
        try (OtelInstrumentation instrumentation = new OtelInstrumentation(sdk, TracingOptions.DEFAULTS, TARGET,
                "p", () -> {
                    throw new IllegalStateException("pool closed");
                })) {
            run(instrumentation, new QueryContext("SELECT 1", true, 0), QueryOutcome.success(-1));
            assertThat(metrics.collectAllMetrics()).extracting(MetricData::getName)
                    .contains("db.client.operation.duration")
                    .doesNotContain("db.client.connection.count");
        }
    }

    @Test
    void manyThreadsAtOnce() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try (OtelInstrumentation instrumentation = open()) {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // half from a small set of prepared texts, half one-off texts with literals
                        String sql = i % 2 == 0 ? "SELECT * FROM t" + (i % 50) + " WHERE id = ?"
                                : "UPDATE u SET n = " + thread + i + " WHERE id = " + i;
                        QueryObservation observation = instrumentation.beforeQuery(new QueryContext(sql, i % 2 == 0, 0));
                        instrumentation.poolEvent(new PoolEvent(PoolEvent.Kind.CHECKOUT, Duration.ofNanos(i)));
                        observation.end(i % 7 == 0 ? new QueryOutcome(-1, new SQLException("x", "40P01"), null)
                                : QueryOutcome.success(1));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : futures) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(spans.getFinishedSpanItems()).hasSize(threads * perThread);
        long measured = metric("db.client.operation.duration").getHistogramData().getPoints().stream()
                .mapToLong(HistogramPointData::getCount).sum();
        assertThat(measured).isEqualTo((long) threads * perThread);
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getName().equals("UPDATE u"))
                .allSatisfy(s -> assertThat(s.getAttributes().get(DB_QUERY_TEXT))
                        .isEqualTo("UPDATE u SET n = ? WHERE id = ?"));
    }

    // ------------------------------------------------------------------ helpers

    private static <T> java.util.Map.Entry<AttributeKey<?>, Object> entry(AttributeKey<T> key, T value) {
        return java.util.Map.entry(key, value);
    }

    private MetricData metric(String name) {
        return find(metrics.collectAllMetrics(), name).orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static Optional<MetricData> find(Collection<MetricData> collected, String name) {
        return collected.stream().filter(m -> m.getName().equals(name)).findFirst();
    }

    private static HistogramPointData point(Collection<HistogramPointData> points, String summary) {
        return points.stream().filter(p -> summary.equals(p.getAttributes().get(DB_QUERY_SUMMARY))).findFirst()
                .orElseThrow(() -> new AssertionError("no point for " + summary));
    }

    private void assertHistogram(String name, Attributes attributes, long count, double sum) {
        MetricData metric = metric(name);
        assertThat(metric.getUnit()).as(name).isEqualTo("s");
        assertThat(metric.getHistogramData().getPoints()).as(name).singleElement().satisfies(p -> {
            assertThat(p.getAttributes()).isEqualTo(attributes);
            assertThat(p.getCount()).isEqualTo(count);
            assertThat(p.getSum()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(p.getBoundaries()).isEqualTo(Seconds.DURATION_BUCKETS);
        });
    }

    private static void assertGauge(Collection<MetricData> collected, String name, String unit, long value) {
        MetricData metric = find(collected, name).orElseThrow(() -> new AssertionError("no metric " + name));
        assertThat(metric.getUnit()).as(name).isEqualTo(unit);
        assertThat(metric.getLongSumData().isMonotonic()).as(name).isFalse();
        assertThat(metric.getLongSumData().getPoints()).as(name).singleElement().satisfies(p -> {
            assertThat(p.getValue()).isEqualTo(value);
            assertThat(p.getAttributes().asMap()).containsOnly(
                    entry(AttributeKey.stringKey("db.client.connection.pool.name"), "orders-pool"),
                    entry(SemconvKeys.POOL_ROLE, "primary"));
        });
    }
}
