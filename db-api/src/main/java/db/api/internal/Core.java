package db.api.internal;

import db.api.DbConfig;
import db.api.Health;
import db.api.PoolStats;
import db.api.Providers;
import db.api.Session;
import db.api.TransactionWork;
import db.api.TxOptions;
import javax.sql.DataSource;

/** The engine behind {@link db.api.Database}. IN PROGRESS. */
public final class Core {
    public static Core open(DbConfig config, ModuleLayer layer) { throw new UnsupportedOperationException(); }
    public Session openSession() { throw new UnsupportedOperationException(); }
    public <T> T inTransaction(TxOptions options, TransactionWork<T> work) { throw new UnsupportedOperationException(); }
    public DataSource dataSource() { throw new UnsupportedOperationException(); }
    public PoolStats stats() { throw new UnsupportedOperationException(); }
    public Health health() { throw new UnsupportedOperationException(); }
    public Providers providers() { throw new UnsupportedOperationException(); }
    public DbConfig config() { throw new UnsupportedOperationException(); }
    public void close() { throw new UnsupportedOperationException(); }
}
