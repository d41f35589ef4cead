package db.api.spi;

import db.api.Isolation;
import java.util.Objects;

/**
 * One {@code inTransaction} call (the outermost one: nested calls are savepoints of it), as an
 * instrumenter sees it.
 *
 * @param isolation   the isolation asked for ({@link Isolation#DEFAULT}: the connection's default)
 * @param readOnly    whether it runs read-only
 * @param maxAttempts how many attempts the options allow (1: no retry)
 */
public record TransactionContext(Isolation isolation, boolean readOnly, int maxAttempts) {

    /** Validates the parts. */
    public TransactionContext {
        Objects.requireNonNull(isolation, "isolation");
    }
}
