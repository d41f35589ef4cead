package db.core.engine;

import db.api.DataAccessException;
import db.api.DatabaseTarget;
import db.api.EmptyResultException;
import db.api.IncorrectResultSizeException;
import db.api.RowMapper;
import db.api.Session;
import db.api.TransactionWork;
import db.api.spi.ErrorContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A session over one pooled connection. Not thread-safe, like the JDBC connection it holds.
 *
 * <p>It owns everything that must not leak to the next borrower: the JDBC-level dirty bits
 * ({@link ConnectionState}), the kinds of SQL-level session state its statements changed
 * ({@link SessionStateSql}), whether the connection broke, and the last failure it mapped (so a failure
 * is mapped once and the application catches the very object instrumenters recorded).
 */
final class SessionImpl implements Session {
    private static final Logger LOG = LogManager.getLogger(SessionImpl.class);

    private final Core core;
    private final Connection physical;
    private final QueryHooks hooks;
    private final SessionReset reset;
    /** Made at the first JDBC-level change ({@link #state()}): most sessions change none. */
    private ConnectionState state;
    private final long openedAtNanos;
    private final LeakDetector.Watch leakWatch;
    private ConnectionWrapper handle;
    private boolean closed;
    private boolean managedTransaction;
    private int sqlState;
    private boolean mayHaveOpenTransaction;
    private boolean broken;
    private int savepoints;
    private List<RowStream<?>> openStreams; // made by the first stream: most sessions have none
    private SQLException lastFailure;
    private DataAccessException lastMapped;
    /** How many helpers ({@link #prepared}) are running: their caller receives mapped exceptions. */
    private int helpers;
    /** The host the connection is on, once a statement asked (multi-host URLs only). */
    private DatabaseTarget server;

    SessionImpl(Core core, Connection physical, QueryHooks hooks, SessionReset reset, LeakDetector leakDetector) {
        this.core = core;
        this.physical = physical;
        this.hooks = hooks;
        this.reset = reset;
        this.handle = new ConnectionWrapper(physical, this);
        this.openedAtNanos = System.nanoTime();
        this.leakWatch = leakDetector.watch(this);
    }

    /**
     * The session's JDBC connection. When a library closed the previous handle inside a managed
     * transaction (which only closed that handle), a new handle on the same connection is returned.
     */
    @Override
    public Connection connection() {
        requireOpen();
        if (handle.handleClosed()) {
            handle = new ConnectionWrapper(physical, this);
        }
        return handle;
    }

    @Override
    public int execute(String sql, Object... params) {
        // execute(), not executeUpdate(): a statement that returns rows (SELECT, a function call) is
        // allowed too; it reports -1.
        return prepared(sql, params, ps -> ps.execute() ? -1 : ps.getUpdateCount());
    }

    @Override
    public int[] executeBatch(String sql, List<Object[]> paramSets) {
        Objects.requireNonNull(paramSets, "paramSets");
        return prepared(sql, null, ps -> {
            for (Object[] params : paramSets) {
                bind(ps, params);
                ps.addBatch();
            }
            return ps.executeBatch();
        });
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        return prepared(sql, params, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        });
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        return prepared(sql, params, ps -> {
            ps.setMaxRows(2); // enough to tell one row from several, without fetching a large result
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                T value = mapper.map(rs);
                if (rs.next()) {
                    throw new IncorrectResultSizeException("Expected at most one row, got more");
                }
                if (value == null) {
                    throw new IllegalStateException("The row mapper turned the row into null, which an Optional "
                            + "cannot tell from no row; use querySingle(...) for values that may be null");
                }
                return Optional.of(value);
            }
        });
    }

    @Override
    public <T> T querySingle(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        return prepared(sql, params, ps -> {
            ps.setMaxRows(2);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new EmptyResultException("Expected exactly one row, got none");
                }
                T value = mapper.map(rs);
                if (rs.next()) {
                    throw new IncorrectResultSizeException("Expected exactly one row, got more");
                }
                return value;
            }
        });
    }

    @Override
    public <T> List<T> executeAndReturnKeys(String sql, RowMapper<T> keyMapper, Object... params) {
        Objects.requireNonNull(keyMapper, "keyMapper");
        Objects.requireNonNull(sql, "sql");
        long start = System.nanoTime();
        try (PreparedStatement ps = connection().prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                List<T> rows = new ArrayList<>();
                while (keys.next()) {
                    rows.add(keyMapper.map(keys));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw translate(e, Duration.ofNanos(System.nanoTime() - start), 0);
        }
    }

    @Override
    public <T> Stream<T> stream(String sql, int fetchSize, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(mapper, "mapper");
        if (fetchSize < 0) {
            throw new IllegalArgumentException("fetchSize must be 0 (the driver's default) or more, not " + fetchSize);
        }
        long start = System.nanoTime();
        PreparedStatement ps = null;
        try {
            ps = connection().prepareStatement(sql);
            bind(ps, params);
            ps.setFetchSize(fetchSize);
            RowStream<T> rows = new RowStream<>(ps, ps.executeQuery(), mapper);
            if (openStreams == null) {
                openStreams = new ArrayList<>(2);
            }
            openStreams.add(rows);
            return StreamSupport.stream(rows, false).onClose(rows::close);
        } catch (SQLException e) {
            DataAccessException mapped = translate(e, Duration.ofNanos(System.nanoTime() - start), 0);
            if (ps != null) {
                try {
                    ps.close();
                } catch (SQLException closing) {
                    mapped.addSuppressed(closing);
                }
            }
            throw mapped;
        }
    }

    /** The rows of a result set, one at a time, for {@link #stream}; closing it closes the statement. */
    private final class RowStream<T> extends Spliterators.AbstractSpliterator<T> {
        private final PreparedStatement statement;
        private final ResultSet rows;
        private final RowMapper<T> mapper;
        private boolean closed;

        RowStream(PreparedStatement statement, ResultSet rows, RowMapper<T> mapper) {
            super(Long.MAX_VALUE, Spliterator.ORDERED);
            this.statement = statement;
            this.rows = rows;
            this.mapper = mapper;
        }

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            if (closed) {
                return false;
            }
            try {
                if (!rows.next()) {
                    return false;
                }
                action.accept(mapper.map(rows));
                return true;
            } catch (SQLException e) {
                throw translate(e);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            openStreams.remove(this);
            try {
                statement.close(); // closes the result set and, in a transaction, the server-side portal
            } catch (SQLException e) {
                throw translate(e);
            }
        }
    }

    /** Work on a prepared statement whose parameters are bound. */
    @FunctionalInterface
    private interface StatementWork<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    /**
     * Prepares {@code sql} on the instrumented connection, binds {@code params}, runs {@code work},
     * and maps a failure with how long it ran (the mappers tell timeouts from cancels by it).
     */
    private <T> T prepared(String sql, Object[] params, StatementWork<T> work) {
        Objects.requireNonNull(sql, "sql");
        long start = System.nanoTime();
        helpers++;
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            bind(ps, params);
            return work.run(ps);
        } catch (SQLException e) {
            throw translate(e, Duration.ofNanos(System.nanoTime() - start), 0);
        } finally {
            helpers--;
        }
    }

    /**
     * Whether a failing statement's caller receives the mapped exception (a helper of this session is
     * running it) rather than the driver's (JDBC code on {@link #connection()}): instrumenters record the
     * type the caller receives.
     */
    boolean callerGetsMapped() {
        return helpers > 0;
    }

    @Override
    public boolean inTransaction() {
        return managedTransaction;
    }

    @Override
    public <T> T inSavepoint(TransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        requireOpen();
        if (autoCommit()) {
            throw new IllegalStateException("A savepoint needs an open transaction: this session is in autocommit "
                    + "mode; run the work in Database.inTransaction(...)");
        }
        savepoints++;
        String name = "sb_savepoint_" + savepoints;
        runControl("SAVEPOINT " + name);
        T result;
        try {
            result = work.run(this);
        } catch (Throwable failure) {
            try {
                runControl("ROLLBACK TO SAVEPOINT " + name + ";RELEASE SAVEPOINT " + name);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            throw unchecked(failure, "savepoint");
        }
        runControl("RELEASE SAVEPOINT " + name);
        return result;
    }

    /** Runs a statement of the core's own (transaction control) on the physical connection, untraced. */
    void runControl(String sql) {
        try (Statement statement = physical.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw translate(failed(e));
        }
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        if (params == null) {
            return;
        }
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Session is closed");
        }
    }

    // ---- one mapping per failure ----

    /** Maps a failure of a call that was not a timed statement (commit, savepoint, work). */
    DataAccessException translate(SQLException e) {
        return translate(e, Duration.ZERO, 0);
    }

    DataAccessException translate(SQLException e, Duration elapsed, int queryTimeoutSeconds) {
        ErrorTranslator translator = hooks.translator();
        return translate(e, translator.context(elapsed, queryTimeoutSeconds));
    }

    /**
     * The mapped exception for {@code e}: the one already made when {@code e} passed the instrumented
     * wrappers (the object instrumenters saw), else a new one, remembered for the next ask.
     */
    DataAccessException translate(SQLException e, ErrorContext context) {
        if (e == lastFailure && lastMapped != null) {
            return lastMapped;
        }
        DataAccessException mapped = hooks.translator().translate(e, context);
        lastFailure = e;
        lastMapped = mapped;
        noteFailure(e);
        return mapped;
    }

    /**
     * Sees every {@link SQLException} that passes the wrappers (their one failure hook), mapped or not, and
     * marks the connection broken on a fatal SQLSTATE; returns it.
     */
    <E extends SQLException> E failed(E e) {
        noteFailure(e);
        return e;
    }

    private void noteFailure(SQLException e) {
        if (!broken && !(e instanceof ConnectionWrapper.HandleClosedException) && BrokenConnections.isFatal(e)) {
            broken = true;
        }
    }

    RuntimeException unchecked(Throwable failure, String what) {
        if (failure instanceof ConnectionWrapper.HandleClosedException) {
            // The work's own bug, like using a closed session: its 08003 is not a connection failure, and
            // mapped as one it would be retried by retryOn(DataAccessException::isRetryable).
            return new IllegalStateException("The unit of work used a connection handle it had closed; the "
                    + what + " was rolled back", failure);
        }
        if (failure instanceof SQLException sqlException) {
            return translate(sqlException);
        }
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new db.api.UncategorizedDataAccessException("The unit of work threw " + failure.getClass().getName()
                + "; the " + what + " was rolled back", failure);
    }

    // ---- called by the transaction runner ----

    Connection physical() {
        return physical;
    }

    /** What this session's statements are observed through: its pool's hooks (a standby's under read routing). */
    QueryHooks hooks() {
        return hooks;
    }

    /** The host the connection is on, looked up by {@code servers} at the first call. */
    DatabaseTarget server(ConnectionServers servers) {
        DatabaseTarget s = server;
        if (s == null) {
            s = servers.of(physical);
            server = s;
        }
        return s;
    }

    /** The JDBC-level state, made at the first change through the session's handle or runner. */
    ConnectionState state() {
        if (state == null) {
            state = new ConnectionState(physical);
        }
        return state;
    }

    /** Autocommit as the session last set it: a pool lends connections in autocommit mode. */
    private boolean autoCommit() {
        return state == null || state.autoCommit();
    }

    void beginManaged() {
        managedTransaction = true;
    }

    void endManaged() {
        managedTransaction = false;
    }

    boolean broken() {
        return broken;
    }

    // ---- called by the wrappers ----

    /** Records the session state {@code sql} changes (only under {@code db.pool.reset=auto}). */
    void sawSql(String sql) {
        sawSqlState(classify(sql));
    }

    /**
     * What a statement's text changes (a prepared statement's is classified once, when prepared). Under
     * {@code always} and {@code never} only an explicit {@code BEGIN} is looked for: a transaction left
     * open is never lent, whatever the policy.
     */
    int classify(String sql) {
        return reset.classify(sql);
    }

    /** Records session state of the given kinds (from {@link SessionStateSql}). */
    void sawSqlState(int bits) {
        if (bits != 0) {
            sqlState |= bits & SessionStateSql.ALL;
            if ((bits & SessionStateSql.BEGIN) != 0 && autoCommit()) {
                mayHaveOpenTransaction = true;
            }
        }
    }

    /** The application aborted the connection through its handle. */
    void markBroken() {
        broken = true;
    }

    /** A handle was closed: inside a managed transaction that only closes the handle. */
    void handleClosed(ConnectionWrapper closedHandle) {
        if (!managedTransaction) {
            close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    Duration age() {
        return Duration.ofNanos(System.nanoTime() - openedAtNanos);
    }

    /**
     * Gives the connection back clean. Inside a managed transaction, user code closing the session is
     * ignored: the transaction runner decides commit or rollback and then closes it.
     */
    @Override
    public void close() {
        if (closed || managedTransaction) {
            return;
        }
        release();
    }

    /**
     * Rolls back what is open, restores the dirty JDBC properties, resets dirty SQL-level state, and
     * gives the connection back; a connection that broke or could not be reset is discarded instead.
     */
    void release() {
        if (closed) {
            return;
        }
        closed = true;
        managedTransaction = false;
        leakWatch.cancel();
        closeOpenStreams();
        boolean discard = broken;
        if (!discard) {
            try {
                resetConnection();
            } catch (SQLException | RuntimeException e) {
                discard = true;
                LOG.debug("Could not reset a connection before returning it to the pool (SQLSTATE {}); discarding it",
                        e instanceof SQLException sqlException ? sqlException.getSQLState() : null, e);
            }
        }
        try {
            if (discard) {
                core.discard(physical);
            } else {
                physical.close();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing a pooled connection failed", e);
        } finally {
            core.sessionClosed(this);
        }
    }

    private void closeOpenStreams() {
        if (openStreams == null) {
            return;
        }
        for (RowStream<?> stream : List.copyOf(openStreams)) {
            try {
                stream.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a stream the application left open failed", e);
            }
        }
    }

    private void resetConnection() throws SQLException {
        if (!autoCommit()) {
            physical.rollback(); // pgjdbc sends nothing when no transaction is open
        } else if (mayHaveOpenTransaction) {
            try (Statement statement = physical.createStatement()) {
                statement.execute("ROLLBACK"); // the application sent BEGIN itself in autocommit mode
            }
        }
        if (state != null) {
            state.restore();
        }
        String sql = reset.sql(sqlState);
        if (sql != null) {
            try (Statement statement = physical.createStatement()) {
                statement.execute(sql);
            }
            if (reset.undoesBaseline(sqlState)) {
                core.applyBaseline(physical);
            }
            sqlState = 0;
        }
    }

    @Override
    public String toString() {
        return "Session[" + (closed ? "closed" : "open") + (managedTransaction ? ", in transaction" : "") + "]";
    }
}
