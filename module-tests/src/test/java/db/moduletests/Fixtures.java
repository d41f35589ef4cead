package db.moduletests;

import db.api.DbConfig;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Configs for the test database, one pool name per call so parallel test classes never share one. */
final class Fixtures {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private Fixtures() {
    }

    /** A config for {@code schema} with a small pool and short timeouts. */
    static DbConfig.Builder config(TestSchema schema) {
        TestDatabase db = schema.database();
        DbConfig.Builder b = DbConfig.builder()
                .url(schema.jdbcUrl())
                .poolName("mt-" + schema.name() + "-" + POOLS.incrementAndGet())
                .minSize(1)
                .maxSize(4)
                .checkoutTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(5));
        if (db.user() != null) {
            b.user(db.user());
        }
        if (db.password() != null) {
            b.password(db.password());
        }
        if (db.throughPgBouncer()) {
            // The suite's run through PgBouncer in transaction mode (the pgbouncer-transaction execution).
            b.property("db.pooler", "pgbouncer-transaction");
        }
        return b;
    }
}
