package db.spring.boot.tests;

import db.api.Database;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A service whose {@code @Transactional} methods write through JdbcTemplate and through Switchboard's
 * {@code Database.inTransaction}, for the joined-transaction tests. Not final: Spring proxies it.
 */
public class Items {
    private final JdbcTemplate jdbc;
    private final Database database;

    public Items(JdbcTemplate jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** Thrown on purpose, to make Spring roll back. */
    public static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Boom() {
            super("boom");
        }
    }

    public void insert(int id) {
        jdbc.update("insert into items(id, name) values (?, ?)", id, "jdbc");
    }

    public void insertThroughSwitchboard(int id) {
        database.runInTransaction(s -> s.execute("insert into items(id, name) values (?, ?)", id, "switchboard"));
    }

    public long backendPid() {
        Long pid = jdbc.queryForObject("select pg_backend_pid()", Long.class);
        return pid == null ? -1 : pid;
    }

    public long switchboardBackendPid() {
        return database.inTransaction(s -> s.querySingle("select pg_backend_pid()", r -> r.getLong(1)));
    }

    @Transactional
    public void insertCommitted(int id) {
        insert(id);
    }

    @Transactional
    public void insertThenFail(int id) {
        insert(id);
        throw new Boom();
    }

    /** The acceptance: a write through Database.inTransaction inside a @Transactional method that rolls back. */
    @Transactional
    public void switchboardWriteThenFail(int id) {
        insertThroughSwitchboard(id);
        throw new Boom();
    }

    @Transactional
    public long[] pidsInOneTransaction() {
        return new long[] {backendPid(), switchboardBackendPid()};
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void insertInNewTransaction(int id) {
        insert(id);
    }

    @Transactional(propagation = Propagation.NESTED)
    public void nestedInsertThenFail(int id) {
        insert(id);
        throw new Boom();
    }

    @Transactional(readOnly = true)
    public String readOnlySetting() {
        return jdbc.queryForObject("show transaction_read_only", String.class);
    }

    /** Whether JdbcTemplate's and Switchboard's statements of one read-only transaction ran on a standby. */
    @Transactional(readOnly = true)
    public boolean[] inRecoveryReadOnly() {
        Boolean viaJdbc = jdbc.queryForObject("select pg_is_in_recovery()", Boolean.class);
        boolean viaSwitchboard = database.inTransaction(db.api.TxOptions.builder().readOnly(true).build(),
                s -> s.querySingle("select pg_is_in_recovery()", r -> r.getBoolean(1)));
        return new boolean[] {Boolean.TRUE.equals(viaJdbc), viaSwitchboard};
    }

    @Transactional
    public boolean inRecoveryReadWrite() {
        return Boolean.TRUE.equals(jdbc.queryForObject("select pg_is_in_recovery()", Boolean.class));
    }

    @Transactional(readOnly = true)
    public void insertReadOnly(int id) {
        insert(id);
    }

    @Transactional(isolation = org.springframework.transaction.annotation.Isolation.SERIALIZABLE)
    public String[] serializableSettings() {
        String viaJdbc = jdbc.queryForObject("show transaction_isolation", String.class);
        String viaSwitchboard = database.inTransaction(s -> s.querySingle("show transaction_isolation",
                r -> r.getString(1)));
        return new String[] {viaJdbc, viaSwitchboard};
    }
}
