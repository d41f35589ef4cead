package db.bootapptest;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Application code as a Spring user writes it: {@code @Transactional} methods on a bean, JDBC through Boot's
 * {@link JdbcTemplate}. The transaction manager is Boot's {@code DataSourceTransactionManager} on the Switchboard
 * {@code DataSource}. Not final: Spring's transactional proxy is a subclass.
 */
public class Items {

    private final JdbcTemplate jdbc;
    private final NestedItems nested;

    public Items(JdbcTemplate jdbc, NestedItems nested) {
        this.jdbc = jdbc;
        this.nested = nested;
    }

    /** Inserts every name in one transaction. */
    @Transactional
    public void insertAll(String... names) {
        for (String name : names) {
            insert(jdbc, name);
        }
    }

    /** Inserts {@code name}, then fails: the transaction must roll back. */
    @Transactional
    public void insertThenFail(String name) {
        insert(jdbc, name);
        throw new IllegalStateException("fails after inserting " + name);
    }

    /**
     * Inserts {@code before}, lets a {@code NESTED} call insert {@code inner} and fail, then inserts
     * {@code after} and commits; returns the transaction ids seen outside and inside the nested call.
     */
    @Transactional
    public long[] outerWithFailingNested(String before, String inner, String after) {
        insert(jdbc, before);
        long outerTx = currentTransaction(jdbc);
        long[] innerTx = new long[1];
        try {
            nested.insertThenFail(inner, innerTx);
        } catch (IllegalStateException expected) {
            // the nested call rolled back to its savepoint; the outer transaction goes on
        }
        insert(jdbc, after);
        return new long[] {outerTx, innerTx[0]};
    }

    static void insert(JdbcTemplate jdbc, String name) {
        jdbc.update("insert into items(name) values (?)", name);
    }

    /** The server's id of the running transaction: equal ids mean one transaction (and one connection). */
    static long currentTransaction(JdbcTemplate jdbc) {
        Long id = jdbc.queryForObject("select txid_current()", Long.class);
        return id == null ? -1 : id;
    }
}
