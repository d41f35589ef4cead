package db.api.spi;

import db.api.Isolation;
import java.time.Instant;
import java.util.Objects;

/**
 * One {@code inTransaction} call (the outermost one: nested calls are savepoints of it), as an
 * instrumenter sees it.
 *
 * @param isolation   the isolation asked for ({@link Isolation#DEFAULT}: the connection's default)
 * @param readOnly    whether it runs read-only
 * @param maxAttempts how many attempts the options allow (1: no retry)
 * @param startedAt   when the call began, before any connection was borrowed: an instrumenter may be told
 *                    about the transaction only once a pool lent it a connection (read-only work that read
 *                    routing may send to a standby), and its report still covers the wait
 */
public record TransactionContext(Isolation isolation, boolean readOnly, int maxAttempts, Instant startedAt) {

    /**
     * Validates the parts.
     *
     * @param isolation the isolation asked for ({@link Isolation#DEFAULT}: the connection's default)
     * @param readOnly whether it runs read-only
     * @param maxAttempts how many attempts the options allow (1: no retry)
     * @param startedAt when the call began, before any connection was borrowed: an instrumenter may be told
     *     about the transaction only once a pool lent it a connection (read-only work that read routing may
     *     send to a standby), and its report still covers the wait
     */
    public TransactionContext {
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
