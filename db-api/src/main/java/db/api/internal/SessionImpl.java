package db.api.internal;

import db.api.DataAccessException;
import db.api.IncorrectResultSizeException;
import db.api.RowMapper;
import db.api.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A session over one pooled connection. Not thread-safe, like the JDBC connection it holds.
 */
final class SessionImpl implements Session {
    private static final Logger LOG = LogManager.getLogger(SessionImpl.class);

    private final Core core;
    private final Connection physical;
    private final ConnectionWrapper connection;
    private final QueryHooks hooks;
    private final long openedAtNanos;
    private final LeakDetector.Watch leakWatch;
    private boolean closed;
    private boolean managedTransaction;
    private boolean autoCommitChanged;
    private boolean isolationChanged;
    private int originalIsolation = -1;
    private boolean readOnlyChanged;

    SessionImpl(Core core, Connection physical, QueryHooks hooks, LeakDetector leakDetector) {
        this.core = core;
        this.physical = physical;
        this.hooks = hooks;
        this.connection = new ConnectionWrapper(physical, this, hooks);
        this.openedAtNanos = System.nanoTime();
        this.leakWatch = leakDetector.watch(this);
    }

    @Override
    public Connection connection() {
        requireOpen();
        return connection;
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
                return Optional.ofNullable(value);
            }
        });
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
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            bind(ps, params);
            return work.run(ps);
        } catch (SQLException e) {
            throw translate(e, start);
        }
    }

    @Override
    public boolean inTransaction() {
        return managedTransaction;
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        if (params == null) {
            return;
        }
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private DataAccessException translate(SQLException e, long startNanos) {
        ErrorTranslator translator = hooks.translator();
        return translator.translate(e, translator.context(Duration.ofNanos(System.nanoTime() - startNanos), 0));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Session is closed");
        }
    }

    // ---- called by the transaction runner ----

    Connection physical() {
        return physical;
    }

    void beginManaged() {
        managedTransaction = true;
    }

    void endManaged() {
        managedTransaction = false;
    }

    // ---- called by the connection wrapper ----

    void noteAutoCommitChange() {
        autoCommitChanged = true;
    }

    void noteIsolationChange() throws SQLException {
        if (!isolationChanged) {
            // Read once, only when the application changes it, so a plain session costs no round trip.
            originalIsolation = physical.getTransactionIsolation();
            isolationChanged = true;
        }
    }

    void noteReadOnlyChange() {
        readOnlyChanged = true;
    }

    boolean isClosed() {
        return closed;
    }

    Duration age() {
        return Duration.ofNanos(System.nanoTime() - openedAtNanos);
    }

    /**
     * Gives the connection back clean: an open transaction is rolled back, then autocommit,
     * isolation and read-only are restored. A connection that cannot be cleaned is still closed (the
     * pool then tests or discards it).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        leakWatch.cancel();
        try {
            reset();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not reset a connection before returning it to the pool (SQLSTATE {})",
                    e instanceof SQLException ? ((SQLException) e).getSQLState() : null, e);
        } finally {
            try {
                physical.close();
            } catch (SQLException e) {
                LOG.debug("Closing a pooled connection failed (SQLSTATE {})", e.getSQLState(), e);
            }
            core.sessionClosed(this);
        }
    }

    private void reset() throws SQLException {
        if (managedTransaction || autoCommitChanged) {
            if (!physical.isClosed() && !physical.getAutoCommit()) {
                physical.rollback();
            }
            physical.setAutoCommit(true);
        }
        if (isolationChanged && originalIsolation >= 0) {
            physical.setTransactionIsolation(originalIsolation);
        }
        if (readOnlyChanged) {
            physical.setReadOnly(false);
        }
    }

    @Override
    public String toString() {
        return "Session[" + (closed ? "closed" : "open") + (managedTransaction ? ", in transaction" : "") + "]";
    }
}
