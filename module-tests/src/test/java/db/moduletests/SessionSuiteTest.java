package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConnectionException;
import db.api.Database;
import db.api.DbConfig;
import db.api.DataAccessException;
import db.api.DuplicateKeyException;
import db.api.EmptyResultException;
import db.api.IncorrectResultSizeException;
import db.api.Isolation;
import db.api.Session;
import db.api.TxOptions;
import db.api.spi.ConnectionInitializer;
import db.testkit.TcpProxy;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sessions never contaminate each other, against every session provider ({@link SessionProviders}):
 * state a session changes is gone for the next one on the same backend (a pool of one; compared with
 * {@code pg_backend_pid()}), closing the handle inside a transaction does not end it, nested transactions
 * are savepoints, every JDBC object leads back to the session, and round trips are counted by what the
 * server received (a recording TCP proxy).
 */
@ParameterizedClass
@MethodSource("db.moduletests.SessionProviders#all")
class SessionSuiteTest {
    // One set per provider, made before that provider's tests and closed after them.
    private static TestSchema schema;
    private static String role;
    private static Database db;
    private static TcpProxy proxy;
    private static final AtomicInteger MARKERS = new AtomicInteger();
    private static Database counted;
    private static Database always;
    private static Database never;

    private final SessionProviders provider;

    SessionSuiteTest(SessionProviders provider) {
        this.provider = provider;
    }

    @BeforeParameterizedClassInvocation
    static void open(SessionProviders provider) throws SQLException {
        schema = TestDatabase.get().createSchema("suite_" + provider.name());
        schema.execute("create table items (id int primary key, name text not null)");
        schema.execute("create table serial_items (id serial primary key, name text)");
        schema.execute("create function " + schema.name() + ".open_cursor() returns refcursor language plpgsql as "
                + "$$ declare c refcursor; begin open c for select 1 as one; return c; end $$");
        role = schema.name() + "_role";
        try (Connection admin = TestDatabase.get().connect(); Statement st = admin.createStatement()) {
            st.execute("create role " + role + " nologin");
        }
        db = provider.open(single());
        proxy = TcpProxy.forJdbcUrl(schema.jdbcUrl(), TcpProxy.Mode.FORWARD).recordExchanges();
        String proxied = proxy.rewrite(schema.jdbcUrl());
        counted = provider.open(single().url(proxied));
        always = provider.open(single().url(proxied).property("db.pool.reset", "always"));
        never = provider.open(single().url(proxied).property("db.pool.reset", "never"));
    }

    private static DbConfig.Builder single() {
        return Fixtures.config(schema).minSize(1).maxSize(1).checkoutTimeout(Duration.ofSeconds(10));
    }

    @AfterParameterizedClassInvocation
    static void close() throws SQLException {
        for (Database d : new Database[] {db, counted, always, never}) {
            if (d != null) {
                d.close();
            }
        }
        if (proxy != null) {
            proxy.close();
        }
        try (Connection admin = TestDatabase.get().connect(); Statement st = admin.createStatement()) {
            st.execute("drop role if exists " + role);
        }
        schema.close();
        db = null;
        counted = null;
        always = null;
        never = null;
        proxy = null;
    }

    @BeforeEach
    void empty() {
        schema.execute("truncate items");
    }

    // ---- state does not leak ----

    /** What a fresh session sees: every JDBC property and the SQL-level state the tests change. */
    private record Seen(int pid, Map<String, Object> state) {
    }

    private Seen seen(Database database) throws SQLException {
        try (Session s = database.openSession()) {
            Connection c = s.connection();
            Map<String, Object> state = new java.util.TreeMap<>();
            state.put("autoCommit", c.getAutoCommit());
            state.put("readOnly", c.isReadOnly());
            state.put("isolation", c.getTransactionIsolation());
            state.put("catalog", c.getCatalog());
            state.put("schema", c.getSchema());
            state.put("holdability", c.getHoldability());
            state.put("networkTimeout", c.getNetworkTimeout());
            state.put("typeMap", c.getTypeMap());
            state.put("clientInfo", String.valueOf(c.getClientInfo("ApplicationName")));
            for (SqlState sql : SQL_STATES) {
                state.put(sql.name(), text(c, sql.check()));
            }
            return new Seen(pid(c), state);
        }
    }

    private void assertNextSessionSeesTheDefaults(Seen before, Database database) throws SQLException {
        Seen after = seen(database);
        if (provider.pooled()) {
            assertThat(after.pid()).as("the next session runs on the same backend").isEqualTo(before.pid());
        }
        assertThat(after.state()).isEqualTo(before.state());
    }

    @Test
    void everyJdbcSetterIsUndone() throws SQLException {
        Seen before = seen(db);
        try (Session s = db.openSession()) {
            Connection c = s.connection();
            c.setSchema("pg_catalog");
            c.setClientInfo("ApplicationName", "leaked");
            c.setHoldability(c.getHoldability() == ResultSet.HOLD_CURSORS_OVER_COMMIT
                    ? ResultSet.CLOSE_CURSORS_AT_COMMIT : ResultSet.HOLD_CURSORS_OVER_COMMIT);
            c.setNetworkTimeout(Runnable::run, 54_321);
            c.setTypeMap(Map.of("leaked", String.class));
            c.setCatalog("postgres");
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(text(c, "select current_setting('application_name')")).isEqualTo("leaked");
            assertThat(text(c, "select current_schema()")).isEqualTo("pg_catalog");
        }
        assertNextSessionSeesTheDefaults(before, db);
        try (Session s = db.openSession()) {
            Connection c = s.connection();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("insert into " + schema.name() + ".items values (1, 'uncommitted')");
            }
        }
        assertNextSessionSeesTheDefaults(before, db);
        assertThat(count("items")).as("the open transaction was rolled back").isZero();
    }

    /** One piece of SQL-level session state: the statement that changes it, and a query that shows it. */
    private record SqlState(String name, String change, String check) {
    }

    private static final List<SqlState> SQL_STATES = List.of(
            new SqlState("search_path", "set search_path to pg_catalog", "select current_setting('search_path')"),
            new SqlState("parameter", "SET statement_timeout = '4321ms'", "show statement_timeout"),
            new SqlState("role", "set role %ROLE%", "select current_user || '/' || session_user"),
            new SqlState("session authorization", "set session authorization %ROLE%",
                    "select session_user || '/' || current_user"),
            new SqlState("set_config", "select set_config('application_name', 'leaked', false)",
                    "select current_setting('application_name')"),
            new SqlState("custom parameter", "select set_config('sb.leak', 'yes', false)",
                    "select coalesce(current_setting('sb.leak', true), '')"),
            new SqlState("temporary table", "create temporary table sb_leak (x int)",
                    "select coalesce(to_regclass('pg_temp.sb_leak')::text, 'none')"),
            new SqlState("advisory lock", "select pg_advisory_lock(4242)",
                    "select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()"),
            new SqlState("listen", "listen sb_leak", "select count(*) from pg_listening_channels()"),
            new SqlState("prepare", "prepare sb_leak as select 1",
                    "select count(*) from pg_prepared_statements where name = 'sb_leak'"),
            new SqlState("cursor with hold", "declare sb_leak cursor with hold for select 1",
                    "select count(*) from pg_cursors where name = 'sb_leak'"));

    static Stream<Arguments> sqlStates() {
        List<Arguments> cases = new ArrayList<>();
        for (SqlState state : SQL_STATES) {
            cases.add(Arguments.of(state.name(), state.change().replace("%ROLE%", role), false));
            cases.add(Arguments.of(state.name(), state.change().replace("%ROLE%", role), true));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} (prepared: {2})")
    @MethodSource("sqlStates")
    void sqlLevelStateIsReset(String name, String change, boolean prepared) throws SQLException {
        Seen before = seen(db);
        try (Session s = db.openSession()) {
            String check = SQL_STATES.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().check();
            String clean = text(s.connection(), check);
            if (prepared) {
                s.execute(change);
            } else {
                try (Statement st = s.connection().createStatement()) {
                    st.execute(change);
                }
            }
            assertThat(text(s.connection(), check)).as("the statement changed " + name).isNotEqualTo(clean);
        }
        assertNextSessionSeesTheDefaults(before, db);
    }

    @Test
    void preparedStatementsOfTheDriverStillWorkAfterAReset() throws SQLException {
        // pgjdbc prepares a statement on the server from its fifth execution; the reset's DEALLOCATE ALL
        // drops it, and pgjdbc must notice and prepare it again.
        for (int round = 0; round < 3; round++) {
            try (Session s = db.openSession()) {
                for (int i = 0; i < 7; i++) {
                    assertThat(s.queryOne("select ? + 1", r -> r.getInt(1), i)).contains(i + 1);
                }
                s.execute("prepare sb_own as select 1");
            }
        }
    }

    @Test
    void theResetReappliesTheConnectionsBaseline() throws SQLException {
        try (Database withBaseline = provider.open(single().property("db.pool.init-sql",
                "SET statement_timeout = '7s'; SET application_name = 'sb-baseline'"))) {
            int pid;
            try (Session s = withBaseline.openSession()) {
                pid = pid(s.connection());
                assertThat(text(s.connection(), "show statement_timeout")).isEqualTo("7s");
                s.execute("set statement_timeout = '1s'");
                s.execute("select set_config('application_name', 'leaked', false)");
            }
            try (Session next = withBaseline.openSession()) {
                if (provider.pooled()) {
                    assertThat(pid(next.connection())).isEqualTo(pid);
                }
                assertThat(text(next.connection(), "show statement_timeout")).as("the baseline, not the server default")
                        .isEqualTo("7s");
                assertThat(text(next.connection(), "select current_setting('application_name')"))
                        .isEqualTo("sb-baseline");
            }
        }
    }

    @Test
    void aConnectionWhoseResetFailsIsDiscarded() throws SQLException {
        // The initializer is the connection's baseline: it runs when a connection is made and again after a
        // reset of parameters. Armed once the session dirtied its connection, its next run (the reset's) fails.
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        ConnectionInitializer failsWhenArmed = c -> {
            if (armed.compareAndSet(true, false)) {
                throw new SQLException("baseline refused on purpose", "XX000");
            }
        };
        try (Database failing = provider.open(single().extension(ConnectionInitializer.class, failsWhenArmed))) {
            int pid;
            try (Session s = failing.openSession()) {
                pid = pid(s.connection());
                s.execute("set search_path to pg_catalog");
                armed.set(true);
            }
            assertThat(armed.get()).as("the reset ran the baseline again, and it failed").isFalse();
            assertThat(failing.stats().busy()).isZero();
            try (Session next = failing.openSession()) {
                assertThat(pid(next.connection())).as("a new connection, not the one the reset failed on")
                        .isNotEqualTo(pid);
                assertThat(text(next.connection(), "select current_setting('search_path')")).doesNotContain("pg_catalog");
            }
        }
    }

    // ---- round trips, counted by what the server received ----

    private static List<TcpProxy.Exchange> exchangesDuring(Runnable action) {
        int before = proxy.exchangeCount();
        action.run();
        return proxy.exchanges().subList(before, proxy.exchangeCount()).stream()
                .filter(e -> !e.isValidationProbe())
                .collect(Collectors.toList());
    }

    /**
     * The round trips of the session's own connection during the action. Three pools share the proxy, and
     * a pool may still be opening (or setting up) a connection of its own meanwhile: only the session's
     * connection counts, found by a marker query it sends first.
     */
    private static List<TcpProxy.Exchange> exchangesDuring(Session session, Runnable action) {
        int connection = proxyConnectionOf(session);
        return exchangesDuring(action).stream().filter(e -> e.connection() == connection).collect(Collectors.toList());
    }

    /** The proxy's number of the connection under the session (a read-only marker query leaves it clean). */
    private static int proxyConnectionOf(Session session) {
        String marker = "sb-marker-" + MARKERS.incrementAndGet();
        int before = proxy.exchangeCount();
        session.queryOne("select '" + marker + "'", r -> r.getString(1));
        return proxy.exchanges().subList(before, proxy.exchangeCount()).stream()
                .filter(e -> e.statements().stream().anyMatch(sql -> sql.contains(marker)))
                .mapToInt(TcpProxy.Exchange::connection)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the proxy saw no exchange with " + marker));
    }

    /**
     * The round trips of a transaction: from its first statement on (the checkout before it is the pool's),
     * on the transaction's connection only (other pools behind the proxy may be opening connections).
     */
    private static List<TcpProxy.Exchange> transactionExchanges(Runnable transaction) {
        List<TcpProxy.Exchange> all = exchangesDuring(transaction);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).statements().stream().anyMatch(sql -> sql.startsWith("BEGIN"))) {
                // Only the transaction's own connection: a pool may open others meanwhile (HikariCP keeps
                // min-size idle connections, so lending one makes it open another in the background).
                int connection = all.get(i).connection();
                return mergeEarlyBegin(all.subList(i, all.size()).stream()
                        .filter(e -> e.connection() == connection).toList());
            }
        }
        return all;
    }

    /**
     * pgjdbc before 42.7.13 flushed the implicit {@code BEGIN} (a simple query) on its own and sent the first
     * statement right after it, without waiting for the answer; when the server answers in between, the proxy
     * sees two exchanges where the client waited once. On such a driver (Spring Boot 4.0 manages 42.7.11) a
     * first exchange that is that {@code BEGIN} alone counts with the next one; on 42.7.13 and later it is
     * never merged, so an extra round trip there still fails the count.
     */
    private static List<TcpProxy.Exchange> mergeEarlyBegin(List<TcpProxy.Exchange> exchanges) {
        if (exchanges.size() < 2 || !exchanges.get(0).statements().equals(List.of("BEGIN")) || !flushesBeginAlone()) {
            return exchanges;
        }
        TcpProxy.Exchange begin = exchanges.get(0);
        TcpProxy.Exchange next = exchanges.get(1);
        List<String> statements = new ArrayList<>(begin.statements());
        statements.addAll(next.statements());
        List<TcpProxy.Exchange> merged = new ArrayList<>();
        merged.add(new TcpProxy.Exchange(begin.connection(), List.copyOf(statements)));
        merged.addAll(exchanges.subList(2, exchanges.size()));
        return merged;
    }

    /** Whether the driver is a pgjdbc older than 42.7.13 (which defers that flush). */
    private static boolean flushesBeginAlone() {
        try (Session s = db.openSession()) {
            String[] version = s.connection().getMetaData().getDriverVersion().split("[.-]", -1);
            int[] parts = new int[3];
            for (int i = 0; i < parts.length && i < version.length; i++) {
                parts[i] = Integer.parseInt(version[i].replaceAll("\\D.*", ""));
            }
            return parts[0] < 42 || (parts[0] == 42 && (parts[1] < 7 || (parts[1] == 7 && parts[2] < 13)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCleanSessionAddsNoRoundTripOnReturn() {
        for (Database d : List.of(counted, never)) {
            Session s = d.openSession();
            s.queryOne("select 1", r -> r.getInt(1));
            assertThat(exchangesDuring(s, s::close)).as("returning a clean session").isEmpty();
        }
    }

    @Test
    void aDirtySessionCostsOneRoundTripToReset() {
        Session s = counted.openSession();
        s.execute("set search_path to pg_catalog");
        List<TcpProxy.Exchange> reset = exchangesDuring(s, s::close);
        assertThat(reset).hasSize(1);
        assertThat(reset.get(0).statements()).anySatisfy(sql -> assertThat(sql).startsWith("RESET ALL"));
    }

    @Test
    void resetPolicies() {
        Session clean = always.openSession();
        clean.queryOne("select 1", r -> r.getInt(1));
        assertThat(exchangesDuring(clean, clean::close)).as("always: a reset on every return").hasSize(1);
        Session dirty = never.openSession();
        dirty.execute("set statement_timeout = '1234ms'");
        assertThat(exchangesDuring(dirty, dirty::close)).as("never: no reset").isEmpty();
    }

    @Test
    void aTransactionTheApplicationOpenedWithBeginIsNeverLent() throws SQLException {
        for (Database d : List.of(db, always, never)) {
            try (Session s = d.openSession(); Statement st = s.connection().createStatement()) {
                st.execute("begin");
                st.execute("insert into items values (1, 'never committed')");
            }
            try (Session next = d.openSession()) {
                assertThat(text(next.connection(), "select count(*) from items")).isEqualTo("0");
                assertThat(text(next.connection(), "select txid_current_if_assigned()"))
                        .as("not inside the old transaction, which had written a row").isNull();
            }
        }
        assertThat(count("items")).isZero();
    }

    @Test
    void aSerializableSingleStatementTransactionTakesAtMostThreeRoundTrips() {
        counted.openSession().close(); // warm: the connection exists and was used just now
        List<TcpProxy.Exchange> exchanges = transactionExchanges(() -> counted.runInTransaction(TxOptions.serializable(1),
                s -> s.execute("insert into items values (?, ?)", 7, "seven")));
        assertThat(exchanges).as("BEGIN + SET TRANSACTION, the insert, COMMIT: %s", exchanges).hasSizeLessThanOrEqualTo(3);
        System.out.printf("[sessions] %s: a SERIALIZABLE single-statement transaction took %d round trips: %s%n",
                provider, exchanges.size(), exchanges);
        assertThat(exchanges.get(0).statements()).anySatisfy(sql -> assertThat(sql).contains("SERIALIZABLE"));
        List<TcpProxy.Exchange> readOnly = transactionExchanges(() -> counted.inTransaction(
                TxOptions.builder().readOnly(true).isolation(Isolation.REPEATABLE_READ).build(),
                s -> s.queryOne("select count(*) from items", r -> r.getInt(1))));
        assertThat(readOnly).as("%s", readOnly).hasSizeLessThanOrEqualTo(3);
        List<TcpProxy.Exchange> plain = transactionExchanges(() -> counted.runInTransaction(
                s -> s.execute("insert into items values (?, ?)", 8, "eight")));
        assertThat(plain).as("BEGIN with the insert, COMMIT: %s", plain).hasSizeLessThanOrEqualTo(2);
    }

    // ---- the handle and the transaction ----

    @Test
    void closingTheHandleInsideATransactionDoesNotEndIt() throws SQLException {
        db.runInTransaction(s -> {
            Connection handle = s.connection();
            s.execute("insert into items values (?, ?)", 1, "before close");
            handle.close(); // what Jdbi.open(connection).close() and other libraries do
            assertThat(handle.isClosed()).as("the handle reports closed to its caller").isTrue();
            assertThatThrownBy(handle::createStatement).isInstanceOf(SQLException.class);
            assertThat(s.connection()).isNotSameAs(handle);
            s.execute("insert into items values (?, ?)", 2, "after close");
            s.close(); // ignored inside the managed transaction as well
            s.execute("insert into items values (?, ?)", 3, "after session close");
        });
        assertThat(count("items")).isEqualTo(3);
        assertThat(db.stats().busy()).isZero();
    }

    @Test
    void workThatUsesAHandleItClosedFailsOnceAndIsNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        TxOptions retryTransient = TxOptions.builder().maxAttempts(3).retryOn(DataAccessException::isRetryable)
                .backoff(Duration.ZERO, Duration.ofMillis(1)).build();
        assertThatThrownBy(() -> db.runInTransaction(retryTransient, s -> {
            runs.incrementAndGet();
            s.execute("insert into items values (?, ?)", runs.get(), "undone");
            Connection handle = s.connection();
            handle.close();
            handle.createStatement();
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("connection handle it had closed")
                .hasCauseInstanceOf(SQLException.class);
        assertThat(runs).as("a bug in the work, not a connection failure: not retried").hasValue(1);
        assertThat(count("items")).isZero();
        assertThat(db.stats().busy()).isZero();
    }

    @Test
    void closingTheHandleOutsideATransactionClosesTheSession() throws SQLException {
        Session s = db.openSession();
        s.connection().close();
        assertThat(db.stats().busy()).isZero();
        assertThatThrownBy(s::connection).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNestedTransactionOnAPoolOfOneCommitsBothLevels() {
        int[] pids = new int[2];
        db.runInTransaction(outer -> {
            outer.execute("insert into items values (?, ?)", 1, "outer");
            pids[0] = outer.queryOne("select pg_backend_pid()", r -> r.getInt(1)).orElseThrow();
            db.runInTransaction(inner -> {
                inner.execute("insert into items values (?, ?)", 2, "inner");
                pids[1] = inner.queryOne("select pg_backend_pid()", r -> r.getInt(1)).orElseThrow();
            });
        });
        assertThat(pids[1]).as("the inner transaction joined the outer's connection").isEqualTo(pids[0]);
        assertThat(count("items")).isEqualTo(2);
    }

    @Test
    void anInnerFailureCaughtByTheOuterKeepsTheOutersOtherWork() {
        db.runInTransaction(outer -> {
            outer.execute("insert into items values (?, ?)", 1, "kept");
            assertThatThrownBy(() -> db.runInTransaction(inner -> {
                inner.execute("insert into items values (?, ?)", 2, "undone");
                inner.execute("insert into items values (?, ?)", 1, "duplicate");
            })).isInstanceOf(DuplicateKeyException.class);
            outer.execute("insert into items values (?, ?)", 3, "after the inner failure");
        });
        assertThat(ids()).containsExactly(1, 3);
    }

    @Test
    void insertOrUpdateInsideOneTransactionWithAnExplicitSavepoint() {
        db.runInTransaction(s -> s.execute("insert into items values (?, ?)", 1, "old"));
        db.runInTransaction(s -> {
            try {
                s.runInSavepoint(x -> x.execute("insert into items values (?, ?)", 1, "new"));
            } catch (DuplicateKeyException e) {
                s.execute("update items set name = ? where id = ?", "new", 1);
            }
        });
        try (Session s = db.openSession()) {
            assertThat(s.queryOne("select name from items where id = 1", r -> r.getString(1))).contains("new");
            assertThatThrownBy(() -> s.inSavepoint(x -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("autocommit");
        }
    }

    @Test
    void conflictingNestedOptionsThrow() {
        assertThatThrownBy(() -> db.runInTransaction(outer -> db.runInTransaction(TxOptions.serializable(1),
                inner -> { })))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SERIALIZABLE");
        assertThatThrownBy(() -> db.runInTransaction(TxOptions.builder().readOnly(true).build(),
                outer -> db.runInTransaction(inner -> { })))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
        db.runInTransaction(TxOptions.serializable(1), outer -> db.runInTransaction(TxOptions.serializable(1),
                inner -> inner.execute("insert into items values (?, ?)", 1, "same isolation joins")));
        assertThat(count("items")).isEqualTo(1);
    }

    @Test
    void retriesHappenOnlyAtTheOutermostLevel() {
        AtomicInteger outerRuns = new AtomicInteger();
        AtomicInteger innerRuns = new AtomicInteger();
        TxOptions retryAll = TxOptions.builder().maxAttempts(3).retryOn(e -> true)
                .backoff(Duration.ZERO, Duration.ofMillis(1)).build();
        assertThatThrownBy(() -> db.runInTransaction(TxOptions.DEFAULTS, outer -> {
            outerRuns.incrementAndGet();
            db.runInTransaction(retryAll, inner -> {
                innerRuns.incrementAndGet();
                inner.execute("insert into items values (?, ?)", 1, "a");
                inner.execute("insert into items values (?, ?)", 1, "a");
            });
        })).isInstanceOf(DuplicateKeyException.class);
        assertThat(innerRuns).as("the nested level does not retry").hasValue(1);
        assertThat(outerRuns).hasValue(1);
        innerRuns.set(0);
        assertThatThrownBy(() -> db.runInTransaction(retryAll, outer -> db.runInTransaction(inner -> {
            innerRuns.incrementAndGet();
            inner.execute("insert into items values (?, ?)", 1, "a");
            inner.execute("insert into items values (?, ?)", 1, "a");
        }))).isInstanceOf(DuplicateKeyException.class);
        assertThat(innerRuns).as("the outermost level retries the whole, once per attempt").hasValue(3);
    }

    // ---- nothing escapes ----

    @Test
    void everyJdbcObjectLeadsBackToTheSession() throws SQLException {
        db.runInTransaction(s -> {
            Connection c = s.connection();
            try (Statement st = c.createStatement()) {
                assertThat(st.getConnection()).isSameAs(c);
                try (ResultSet rs = st.executeQuery("select 1")) {
                    assertThat(rs.getStatement()).isSameAs(st);
                }
                assertThat(st.execute("select 1")).isTrue();
                assertThat(st.getResultSet().getStatement()).isSameAs(st);
                assertThat(st.getMoreResults()).isFalse();
                st.executeUpdate("insert into items values (1, 'a')", Statement.RETURN_GENERATED_KEYS);
                assertThat(st.getGeneratedKeys().getStatement()).isSameAs(st);
            }
            try (PreparedStatement ps = c.prepareStatement("insert into serial_items (name) values (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                assertThat(ps.getConnection()).isSameAs(c);
                ps.setString(1, "x");
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys.getStatement()).isSameAs(ps);
                    assertThat(keys.getStatement().getConnection()).isSameAs(c);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select ?::int")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.getStatement()).isSameAs(ps);
                }
                assertThat(ps.execute()).isTrue();
                assertThat(ps.getResultSet().getStatement()).isSameAs(ps);
            }
            try (CallableStatement cs = c.prepareCall("{? = call " + schema.name() + ".open_cursor()}")) {
                assertThat(cs.getConnection()).isSameAs(c);
                cs.registerOutParameter(1, Types.OTHER);
                cs.execute();
                try (ResultSet cursor = (ResultSet) cs.getObject(1)) {
                    assertThat(cursor.getStatement()).isSameAs(cs);
                    assertThat(cursor.next()).isTrue();
                }
            }
            try (CallableStatement cs = c.prepareCall("select 1")) {
                try (ResultSet rs = cs.executeQuery()) {
                    assertThat(rs.getStatement()).isSameAs(cs);
                }
            }
            DatabaseMetaData meta = c.getMetaData();
            assertThat(meta.getConnection()).isSameAs(c);
            try (ResultSet tables = meta.getTables(null, schema.name(), "%", null)) {
                assertThat(tables.getStatement() == null || tables.getStatement().getConnection() == c)
                        .as("a metadata result set leads back to the handle").isTrue();
                assertThat(tables.next()).isTrue();
            }
        });
    }

    // ---- the API a JDBI or Spring user expects ----

    @Test
    void aStreamReadsFromAServerSideCursorInsideATransaction() {
        schema.execute("insert into items select i, 'n' || i from generate_series(1, 1000) i");
        counted.runInTransaction(s -> {
            try (Stream<Integer> ids = s.stream("select id from items order by id", 100, r -> r.getInt(1))) {
                java.util.Iterator<Integer> it = ids.iterator();
                List<TcpProxy.Exchange> fetches = exchangesDuring(() -> {
                    int sum = 0;
                    while (it.hasNext()) {
                        sum += it.next();
                    }
                    assertThat(sum).isEqualTo(500_500);
                });
                assertThat(fetches.size()).as("batches of 100 fetched while reading: %s", fetches)
                        .isGreaterThanOrEqualTo(9);
            }
        });
        try (Session s = counted.openSession();
             Stream<String> names = s.stream("select name from items where id <= ? order by id", 10,
                     r -> r.getString(1), 3)) {
            assertThat(names).containsExactly("n1", "n2", "n3");
        }
    }

    @Test
    void aStreamLeftOpenIsClosedWithTheSession() {
        schema.execute("insert into items select i, 'n' || i from generate_series(1, 50) i");
        db.runInTransaction(s -> {
            Stream<Integer> ids = s.stream("select id from items", 10, r -> r.getInt(1));
            assertThat(ids.limit(5).count()).isEqualTo(5);
        });
        Session s = db.openSession();
        Stream<Integer> ids = s.stream("select id from items", 10, r -> r.getInt(1));
        assertThat(ids.findFirst()).isPresent();
        s.close();
        assertThat(db.stats().busy()).isZero();
        try (Session next = db.openSession()) {
            Integer count = next.querySingle("select count(*) from items", r -> r.getInt(1));
            assertThat(count).isEqualTo(50);
        }
    }

    @Test
    void queryOneTellsNoRowFromARowMappedToNull() {
        try (Session s = db.openSession()) {
            assertThat(s.queryOne("select name from items where id = ?", r -> r.getString(1), 1)).isEmpty();
            assertThatThrownBy(() -> s.queryOne("select max(name) from items", r -> r.getString(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("querySingle");
            String max = s.querySingle("select max(name) from items", r -> r.getString(1));
            assertThat(max).isNull();
            assertThatThrownBy(() -> s.querySingle("select name from items", r -> r.getString(1)))
                    .isInstanceOf(EmptyResultException.class);
            s.execute("insert into items values (1, 'a'), (2, 'b')");
            assertThatThrownBy(() -> s.querySingle("select name from items", r -> r.getString(1)))
                    .isInstanceOf(IncorrectResultSizeException.class).isNotInstanceOf(EmptyResultException.class);
        }
    }

    @Test
    void generatedKeysWithoutReturning() {
        try (Session s = db.openSession()) {
            List<Integer> ids = s.executeAndReturnKeys("insert into serial_items (name) values (?), (?)",
                    r -> r.getInt("id"), "a", "b");
            assertThat(ids).hasSize(2).doesNotHaveDuplicates();
            String name = s.querySingle("select name from serial_items where id = ?", r -> r.getString(1), ids.get(1));
            assertThat(name).isEqualTo("b");
            assertThatThrownBy(() -> s.executeAndReturnKeys("insert into items (id) values (?)", r -> 1, 1))
                    .isInstanceOf(DataAccessException.class);
        }
    }

    // ---- broken connections ----

    @Test
    void aConnectionThatBrokeIsDiscardedNotLentAgain() throws SQLException {
        Session s = db.openSession();
        int pid = s.queryOne("select pg_backend_pid()", r -> r.getInt(1)).orElseThrow();
        try (Connection admin = TestDatabase.get().connect(); Statement st = admin.createStatement()) {
            st.execute("select pg_terminate_backend(" + pid + ")");
        }
        assertThatThrownBy(() -> s.execute("select 1")).isInstanceOf(ConnectionException.class);
        s.close();
        assertThat(db.stats().busy()).isZero();
        try (Session next = db.openSession()) {
            assertThat(next.queryOne("select pg_backend_pid()", r -> r.getInt(1)).orElseThrow()).isNotEqualTo(pid);
        }
    }

    /**
     * A backend that dies while a cursor is read (ResultSet.next fetching the next batch inside a transaction)
     * fails that call with a fatal SQLSTATE, which marks the connection broken: the pool never lends it again.
     */
    @Test
    void aBackendKilledDuringACursorFetchIsNeverLentAgain() throws Exception {
        schema.execute("insert into items select i, 'n' || i from generate_series(1, 5000) i");
        String app = "sb-killed-fetch-" + provider + "-" + MARKERS.incrementAndGet();
        try (Database killed = provider.open(single().applicationName(app))) {
            Session s = killed.openSession();
            Connection c = s.connection();
            int pid = pid(c);
            c.setAutoCommit(false);
            PreparedStatement ps = c.prepareStatement("select id from items order by id");
            ps.setFetchSize(10);
            ResultSet rs = ps.executeQuery();
            assertThat(rs.next()).as("the first batch arrived").isTrue();
            terminate(pid);
            SQLException failure = catchSqlException(() -> {
                while (rs.next()) {
                    rs.getInt(1);
                }
            });
            assertThat(fatal(failure)).as("a fatal SQLSTATE, not %s", failure.getSQLState()).isTrue();
            s.close();
            assertNeverLentAgain(killed, pid, app);
        }
    }

    /** The same when the backend dies under a DatabaseMetaData call (its query runs on the driver's statement). */
    @Test
    void aBackendKilledDuringAMetadataCallIsNeverLentAgain() throws Exception {
        String app = "sb-killed-metadata-" + provider + "-" + MARKERS.incrementAndGet();
        try (Database killed = provider.open(single().applicationName(app))) {
            Session s = killed.openSession();
            Connection c = s.connection();
            int pid = pid(c);
            DatabaseMetaData meta = c.getMetaData();
            terminate(pid);
            SQLException failure = catchSqlException(() -> meta.getTables(null, schema.name(), "%", null).close());
            assertThat(fatal(failure)).as("a fatal SQLSTATE, not %s", failure.getSQLState()).isTrue();
            s.close();
            assertNeverLentAgain(killed, pid, app);
        }
    }

    /** Ends backend {@code pid} from another connection and waits until the server no longer lists it. */
    private static void terminate(int pid) throws SQLException, InterruptedException {
        try (Connection admin = TestDatabase.get().connect(); Statement st = admin.createStatement()) {
            st.execute("select pg_terminate_backend(" + pid + ")");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Integer.parseInt(text(admin, "select count(*) from pg_stat_activity where pid = " + pid)) > 0) {
                assertThat(System.nanoTime()).as("backend %s ended", pid).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** The pool (of one) lends a fresh backend, and the server sees only that one for the pool. */
    private static void assertNeverLentAgain(Database killed, int pid, String app) throws SQLException {
        assertThat(killed.stats().busy()).isZero();
        try (Session next = killed.openSession()) {
            int fresh = next.queryOne("select pg_backend_pid()", r -> r.getInt(1)).orElseThrow();
            assertThat(fresh).as("the next session's backend").isNotEqualTo(pid);
            assertThat(TestDatabase.get().backends(app)).as("backends of pool %s the server sees", app)
                    .isEqualTo(1);
        }
    }

    @FunctionalInterface
    private interface JdbcWork {
        void run() throws SQLException;
    }

    private static SQLException catchSqlException(JdbcWork work) {
        try {
            work.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail: its backend was terminated");
    }

    /** A connection-ending SQLSTATE (class 08 or an administrator's shutdown) anywhere in the chain. */
    private static boolean fatal(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    // ---- helpers ----

    private static int pid(Connection c) throws SQLException {
        return Integer.parseInt(text(c, "select pg_backend_pid()"));
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int count(String table) {
        try (Connection c = TestDatabase.get().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + schema.name() + "." + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> ids() {
        try (Connection c = TestDatabase.get().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from " + schema.name() + ".items order by id")) {
            List<Integer> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
