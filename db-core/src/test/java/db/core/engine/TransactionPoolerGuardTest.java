package db.core.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TransactionPoolerGuardTest {
    private final TransactionPoolerGuard guard = new TransactionPoolerGuard();

    @Test
    void refusesWhatOutlivesTheTransaction() {
        for (String sql : new String[] {"SET x = 1", "set search_path to a", "  -- c\n SET SESSION x = 1",
            "/* c */ set time zone 'UTC'", "RESET ALL", "LISTEN chan", "select pg_advisory_lock(1)",
            "SELECT pg_try_advisory_lock_shared(1)", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "PREPARE p AS SELECT 1", "DISCARD ALL", "select 1; set x = 2", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"}) {
            assertThatThrownBy(() -> guard.check(sql)).as(sql).isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("Refused");
        }
    }

    @Test
    void letsTransactionScopedStatementsThrough() {
        for (String sql : new String[] {"SET LOCAL x = 1", "set transaction isolation level serializable",
            "SET CONSTRAINTS ALL DEFERRED", "select pg_advisory_xact_lock(1)", "DECLARE c CURSOR FOR SELECT 1",
            "select settings from t", "update t set x = 1", "select 'reset'", "PREPARE TRANSACTION 'x'",
            "insert into listener values (1)"}) {
            assertThatCode(() -> guard.check(sql)).as(sql).doesNotThrowAnyException();
        }
    }
}
