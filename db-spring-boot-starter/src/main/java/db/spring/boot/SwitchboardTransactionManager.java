package db.spring.boot;

import db.api.Database;
import db.api.Isolation;
import db.api.TxOptions;
import db.api.spi.BoundTransaction;
import db.api.spi.ThreadTransactions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's transaction manager on Switchboard's transactions, so that {@code @Transactional},
 * {@code TransactionTemplate}, JdbcTemplate and {@code Database.inTransaction} on one thread share one
 * connection and one transaction.
 *
 * <ul>
 * <li>A new Spring transaction is begun through {@link ThreadTransactions#begin(TxOptions)} (isolation and
 * read-only from the definition; read-only work goes to a standby under read routing) and its connection is
 * bound as a {@link ConnectionHolder} for the {@link DataSource}, as {@code DataSourceTransactionManager} does,
 * so {@code DataSourceUtils} and JdbcTemplate use it; {@code Database.inTransaction} inside joins it through a
 * savepoint and never retries.</li>
 * <li>A Spring transaction that finds one {@code Database.inTransaction} opened participates in it: a
 * rollback-only mark reaches that transaction, which then rolls back.</li>
 * <li>{@code NESTED} is a JDBC savepoint on the transaction's connection; {@code REQUIRES_NEW} suspends the
 * bound transaction (Switchboard's binding and the holder) and takes a second connection.</li>
 * <li>The timeout goes on the holder, where JdbcTemplate applies what is left of it to each statement
 * (Spring's own mechanism), and into {@code SET LOCAL statement_timeout}, which bounds Switchboard's statements
 * in the transaction; Switchboard's retry options do not apply inside a Spring transaction.</li>
 * <li>Commit and rollback failures are translated with {@link SwitchboardExceptionTranslator}.</li>
 * </ul>
 */
public final class SwitchboardTransactionManager extends AbstractPlatformTransactionManager
        implements ResourceTransactionManager {
    private static final long serialVersionUID = 1L;

    private final transient Database database;
    private final transient DataSource dataSource;

    /**
     * A manager of {@code database}'s transactions whose connections JDBC code gets from {@code dataSource}
     * (the key under which the connection is bound, usually the {@link SwitchboardDataSource} bean).
     *
     * @param database   the database whose transactions it runs
     * @param dataSource the data source JDBC code uses
     */
    public SwitchboardTransactionManager(Database database, DataSource dataSource) {
        this.database = Objects.requireNonNull(database, "database");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        setNestedTransactionAllowed(true);
    }

    @Override
    public Object getResourceFactory() {
        return dataSource;
    }

    @Override
    protected Object doGetTransaction() {
        SwitchboardTransaction tx = new SwitchboardTransaction();
        tx.setSavepointAllowed(isNestedTransactionAllowed());
        Optional<BoundTransaction> bound = database.threadTransactions().current();
        if (bound.isPresent()) {
            // Spring's own (bound below in doBegin), or one inTransaction opened: participate in it.
            ConnectionHolder holder = (ConnectionHolder) TransactionSynchronizationManager.getResource(dataSource);
            tx.join(bound.get(), holder != null ? holder : new ConnectionHolder(
                    SwitchboardDataSource.joined(bound.get())));
        }
        return tx;
    }

    @Override
    protected boolean isExistingTransaction(Object transaction) {
        BoundTransaction bound = ((SwitchboardTransaction) transaction).bound;
        return bound != null && !bound.completed();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        SwitchboardTransaction tx = (SwitchboardTransaction) transaction;
        TxOptions options = TxOptions.builder().isolation(isolation(definition.getIsolationLevel()))
                .readOnly(definition.isReadOnly()).build();
        BoundTransaction bound;
        try {
            bound = database.threadTransactions().begin(options);
        } catch (db.api.DataAccessException e) {
            throw new CannotCreateTransactionException("Could not begin a Switchboard transaction",
                    SwitchboardExceptionTranslator.toSpring("begin", e));
        }
        ConnectionHolder holder = new ConnectionHolder(SwitchboardDataSource.joined(bound));
        holder.setSynchronizedWithTransaction(true);
        int timeout = determineTimeout(definition);
        if (timeout != TransactionDefinition.TIMEOUT_DEFAULT) {
            holder.setTimeoutInSeconds(timeout);
            boundStatements(bound, timeout);
        }
        tx.begun(bound, holder);
        TransactionSynchronizationManager.bindResource(dataSource, holder);
    }

    /**
     * Bounds Switchboard's own statements in the transaction by the timeout too ({@code SET LOCAL
     * statement_timeout}, undone when the transaction ends), each by the whole budget; JdbcTemplate's get what
     * is left of it from the holder. A shorter {@code db.statement-timeout} stays.
     */
    private void boundStatements(BoundTransaction bound, int timeoutSeconds) {
        long millis = timeoutSeconds * 1000L;
        Duration configured = database.config().statementTimeout().orElse(Duration.ZERO);
        if (!configured.isZero() && configured.toMillis() <= millis) {
            return;
        }
        try {
            bound.session().execute("select set_config('statement_timeout', ?, true)", millis + "ms");
        } catch (db.api.DataAccessException e) {
            try {
                bound.rollback();
            } catch (db.api.DataAccessException rollback) {
                e.addSuppressed(rollback);
            }
            throw new CannotCreateTransactionException("Could not set the transaction's timeout",
                    SwitchboardExceptionTranslator.toSpring("begin", e));
        }
    }

    /** Spring's isolation constant as Switchboard's (PostgreSQL runs READ UNCOMMITTED as READ COMMITTED). */
    static Isolation isolation(int level) {
        return switch (level) {
            case TransactionDefinition.ISOLATION_DEFAULT -> Isolation.DEFAULT;
            case TransactionDefinition.ISOLATION_READ_UNCOMMITTED, TransactionDefinition.ISOLATION_READ_COMMITTED ->
                    Isolation.READ_COMMITTED;
            case TransactionDefinition.ISOLATION_REPEATABLE_READ -> Isolation.REPEATABLE_READ;
            case TransactionDefinition.ISOLATION_SERIALIZABLE -> Isolation.SERIALIZABLE;
            default -> throw new IllegalArgumentException("Unknown isolation level " + level);
        };
    }

    @Override
    protected Object doSuspend(Object transaction) {
        ((SwitchboardTransaction) transaction).clear();
        // Spring's own holder, or the one DataSourceUtils bound for a participant (already unbound then, when
        // Spring suspended that participant's synchronization first).
        Object holder = TransactionSynchronizationManager.unbindResourceIfPossible(dataSource);
        BoundTransaction bound = database.threadTransactions().suspend().orElse(null);
        return new Suspended(holder, bound);
    }

    @Override
    protected void doResume(Object transaction, Object suspendedResources) {
        Suspended suspended = (Suspended) suspendedResources;
        if (suspended.holder() != null) {
            TransactionSynchronizationManager.bindResource(dataSource, suspended.holder());
        }
        if (suspended.bound() != null) {
            database.threadTransactions().resume(suspended.bound());
        }
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        BoundTransaction bound = ((SwitchboardTransaction) status.getTransaction()).bound;
        try {
            bound.commit();
        } catch (db.api.DataAccessException e) {
            throw SwitchboardExceptionTranslator.toSpring("commit", e);
        }
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        BoundTransaction bound = ((SwitchboardTransaction) status.getTransaction()).bound;
        try {
            bound.rollback();
        } catch (db.api.DataAccessException e) {
            throw SwitchboardExceptionTranslator.toSpring("rollback", e);
        }
    }

    @Override
    protected void doSetRollbackOnly(DefaultTransactionStatus status) {
        SwitchboardTransaction tx = (SwitchboardTransaction) status.getTransaction();
        tx.getConnectionHolder().setRollbackOnly();
        tx.bound.setRollbackOnly();
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        SwitchboardTransaction tx = (SwitchboardTransaction) transaction;
        if (!tx.newTransaction) {
            return;
        }
        TransactionSynchronizationManager.unbindResourceIfPossible(dataSource);
        tx.getConnectionHolder().clear();
        if (!tx.bound.completed()) {
            // Neither commit nor rollback ran to the end (a failure before either): give the connection back.
            tx.bound.rollback();
        }
    }

    @Override
    public String toString() {
        return "SwitchboardTransactionManager[" + database + "]";
    }

    /** What {@link #doSuspend} took off the thread. */
    private record Suspended(Object holder, BoundTransaction bound) {
    }

    /** Spring's transaction object: the bound Switchboard transaction and its holder (for savepoints). */
    private static final class SwitchboardTransaction extends JdbcTransactionObjectSupport {
        private BoundTransaction bound;
        private boolean newTransaction;

        void join(BoundTransaction existing, ConnectionHolder holder) {
            this.bound = existing;
            this.newTransaction = false;
            setConnectionHolder(holder);
        }

        void begun(BoundTransaction begun, ConnectionHolder holder) {
            this.bound = begun;
            this.newTransaction = true;
            setConnectionHolder(holder);
        }

        void clear() {
            bound = null;
            newTransaction = false;
            setConnectionHolder(null);
        }

        @Override
        public boolean isRollbackOnly() {
            return (bound != null && bound.isRollbackOnly())
                    || (hasConnectionHolder() && getConnectionHolder().isRollbackOnly());
        }
    }
}
