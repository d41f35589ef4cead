package db.core.engine;

import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.Health;
import db.api.PoolStats;
import db.api.PoolStatus;
import db.api.Providers;
import db.api.Session;
import db.api.TransactionWork;
import db.api.TxOptions;
import db.api.spi.ThreadTransactions;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** The engine's {@link Database}: one {@link Core}, which owns everything; this is its public face. */
final class CoreDatabase implements Database {
    private final Core core;

    CoreDatabase(Core core) {
        this.core = core;
    }

    @Override
    public Session openSession() {
        return core.openSession();
    }

    @Override
    public Session openReadOnlySession() {
        return core.openReadOnlySession();
    }

    @Override
    public <T> T inTransaction(TxOptions options, TransactionWork<T> work) {
        return core.inTransaction(options, work);
    }

    @Override
    public ThreadTransactions threadTransactions() {
        return core.threadTransactions();
    }

    @Override
    public DataSource dataSource() {
        return core.dataSource();
    }

    @Override
    public DataAccessException translate(SQLException e) {
        Objects.requireNonNull(e, "e");
        return core.translate(e);
    }

    @Override
    public PoolStats stats() {
        return core.stats();
    }

    @Override
    public List<PoolStatus> pools() {
        return core.pools();
    }

    @Override
    public Health health() {
        return core.health();
    }

    @Override
    public void resize(int minSize, int maxSize) {
        core.resize(minSize, maxSize);
    }

    @Override
    public void evictAll() {
        core.evictAll();
    }

    @Override
    public void pause() {
        core.pause();
    }

    @Override
    public void resume() {
        core.resume();
    }

    @Override
    public Providers providers() {
        return core.providers();
    }

    @Override
    public DbConfig config() {
        return core.config();
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "Database[" + core + "]";
    }
}
