package db.bootapptest;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A separate bean, so that the call from {@link Items} goes through the transactional proxy (a subclass, so
 * not final).
 */
public class NestedItems {

    private final JdbcTemplate jdbc;

    public NestedItems(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inside the caller's transaction, at a savepoint: inserts {@code name}, records the transaction id, fails. */
    @Transactional(propagation = Propagation.NESTED)
    public void insertThenFail(String name, long[] transactionId) {
        Items.insert(jdbc, name);
        transactionId[0] = Items.currentTransaction(jdbc);
        throw new IllegalStateException("nested work fails after inserting " + name);
    }
}
