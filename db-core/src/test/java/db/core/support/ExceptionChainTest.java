package db.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ExceptionChainTest {

    @Test
    void walksCausesAndNextExceptionsBreadthFirstWithoutRepeats() {
        SQLException real = new SQLException("real", "23505");
        BatchUpdateException batch = new BatchUpdateException("batch", "23505", new int[0]);
        batch.setNextException(real);
        RuntimeException wrapper = new RuntimeException("wrapper");
        SQLException top = new SQLException("top", null, wrapper);
        wrapper.initCause(batch);
        assertThat(ExceptionChain.of(top)).containsExactly(top, wrapper, batch, real);
    }

    @Test
    void aCycleEndsTheWalk() {
        SQLException a = new SQLException("a");
        SQLException b = new SQLException("b");
        a.setNextException(b);
        b.setNextException(a);
        assertThat(ExceptionChain.of(a)).containsExactly(a, b);
    }

    @Test
    void anAbsurdChainIsCut() {
        SQLException head = new SQLException("0");
        SQLException current = head;
        for (int i = 1; i < 1000; i++) {
            SQLException next = new SQLException(Integer.toString(i));
            current.setNextException(next);
            current = next;
        }
        assertThat(ExceptionChain.of(head)).hasSize(ExceptionChain.MAX_LENGTH);
    }
}
