package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.SerializationFailureException;
import db.api.TransactionStateException;
import db.api.TxOptions;
import db.api.spi.BoundTransaction;
import db.api.spi.ThreadTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hook for frameworks that demarcate transactions themselves: a transaction begun through
 * {@link ThreadTransactions} is bound to the thread, {@code inTransaction} inside joins it as a savepoint and
 * never retries, suspend/resume run an independent one meanwhile, and instrumenters see the same COMMIT and
 * ROLLBACK as for {@code inTransaction}.
 */
class ThreadTransactionsTest {
    @RegisterExtension
    static final RecordedDatabase recorded =
            new RecordedDatabase("threadtx", "items", "id int primary key");

    /** The pool's hook for frameworks that demarcate transactions themselves. */
    private static ThreadTransactions transactions() {
        return recorded.db().threadTransactions();
    }

    private static long rows() {
        try (var session = recorded.db().openSession()) {
            return session.querySingle("select count(*) from items", r -> r.getLong(1));
        }
    }

    private static long pid(BoundTransaction tx) throws SQLException {
        try (Statement s = tx.connection().createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aBegunTransactionIsBoundAndInTransactionJoinsItAsASavepoint() throws SQLException {
        assertThat(transactions().current()).isEmpty();
        BoundTransaction tx = transactions().begin(TxOptions.DEFAULTS);
        assertThat(transactions().current()).containsSame(tx);
        assertThat(tx.external()).isTrue();
        long pid = pid(tx);
        long joinedPid = recorded.db().inTransaction(s -> {
            s.execute("insert into items values (1)");
            return s.querySingle("select pg_backend_pid()", r -> r.getLong(1));
        });
        assertThat(joinedPid).isEqualTo(pid);
        // a nested failure rolls back to its savepoint only
        assertThatThrownBy(() -> recorded.db().runInTransaction(s -> {
            s.execute("insert into items values (2)");
            throw new IllegalStateException("inner");
        })).hasMessage("inner");
        assertThat(rows()).as("not committed yet").isZero();
        tx.commit();
        assertThat(tx.completed()).isTrue();
        assertThat(transactions().current()).isEmpty();
        assertThat(rows()).isEqualTo(1);
        assertThat(recorded.recording().transactionEnds()).containsExactly("COMMIT");
        assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rollbackUndoesEverythingJoinedAndIsObserved() {
        BoundTransaction tx = transactions().begin(TxOptions.DEFAULTS);
        recorded.db().runInTransaction(s -> s.execute("insert into items values (1)"));
        tx.rollback();
        tx.rollback(); // already ended: nothing more
        assertThat(transactions().current()).isEmpty();
        assertThat(rows()).isZero();
        assertThat(recorded.recording().transactionEnds()).containsExactly("ROLLBACK");
    }

    @Test
    void aSecondBeginOnTheSameThreadIsRefused() {
        BoundTransaction tx = transactions().begin(TxOptions.DEFAULTS);
        try {
            assertThatThrownBy(() -> transactions().begin(TxOptions.DEFAULTS)).isInstanceOf(IllegalStateException.class);
        } finally {
            tx.rollback();
        }
    }

    @Test
    void neverRetriedInsideABoundTransaction() {
        BoundTransaction tx = transactions().begin(TxOptions.DEFAULTS);
        AtomicInteger attempts = new AtomicInteger();
        try {
            assertThatThrownBy(() -> recorded.db().runInTransaction(TxOptions.builder().maxAttempts(5).build(), s -> {
                attempts.incrementAndGet();
                throw new SerializationFailureException("simulated");
            })).isInstanceOf(SerializationFailureException.class);
        } finally {
            tx.rollback();
        }
        assertThat(attempts).hasValue(1);
    }

    @Test
    void suspendAndResumeRunAnIndependentTransactionMeanwhile() throws SQLException {
        BoundTransaction outer = transactions().begin(TxOptions.DEFAULTS);
        long outerPid = pid(outer);
        recorded.db().runInTransaction(s -> s.execute("insert into items values (1)"));
        BoundTransaction suspended = transactions().suspend().orElseThrow();
        assertThat(suspended).isSameAs(outer);
        assertThat(transactions().current()).isEmpty();
        long innerPid = recorded.db().inTransaction(s -> {
            s.execute("insert into items values (2)");
            return s.querySingle("select pg_backend_pid()", r -> r.getLong(1));
        });
        assertThat(innerPid).isNotEqualTo(outerPid);
        assertThat(rows()).as("the independent one committed").isEqualTo(1);
        transactions().resume(suspended);
        assertThat(transactions().current()).containsSame(outer);
        assertThatThrownBy(() -> transactions().resume(suspended)).isInstanceOf(IllegalStateException.class);
        outer.rollback();
        assertThat(rows()).as("the outer write is undone, the independent one stays").isEqualTo(1);
        try (var session = recorded.db().openSession()) {
            assertThat(session.query("select id from items", r -> r.getInt(1))).isEqualTo(List.of(2));
        }
    }

    @Test
    void inTransactionsOwnTransactionIsVisibleAndCanBeMarkedRollbackOnly() {
        assertThatThrownBy(() -> recorded.db().runInTransaction(s -> {
            s.execute("insert into items values (1)");
            BoundTransaction tx = transactions().current().orElseThrow();
            assertThat(tx.external()).isFalse();
            assertThat(tx.session()).isSameAs(s);
            assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
            tx.setRollbackOnly();
        })).isInstanceOf(TransactionStateException.class).hasMessageContaining("rollback-only");
        assertThat(rows()).isZero();
        assertThat(transactions().current()).isEmpty();
    }

    @Test
    void aRollbackOnlyBegunTransactionRefusesToCommit() {
        BoundTransaction tx = transactions().begin(TxOptions.DEFAULTS);
        recorded.db().runInTransaction(s -> s.execute("insert into items values (1)"));
        tx.setRollbackOnly();
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionStateException.class);
        assertThat(tx.completed()).isTrue();
        assertThat(rows()).isZero();
        assertThat(recorded.recording().transactionEnds()).containsExactly("ROLLBACK");
    }
}
