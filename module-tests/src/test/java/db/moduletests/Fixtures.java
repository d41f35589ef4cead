package db.moduletests;

import db.api.DbConfig;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Configs for the test database, one pool name per call so parallel test classes never share one. */
final class Fixtures {
    private static final AtomicInteger POOLS = new AtomicInteger();

    /**
     * The session providers on this module's path. Suites that must hold for every pool take their
     * provider from {@link #sessionProviders()} ({@code @MethodSource("db.moduletests.Fixtures#sessionProviders")});
     * a new pool module joins them all by one entry here (and its runtime dependency in the pom).
     */
    static final List<String> SESSION_PROVIDERS = List.of("c3p0", "hikari");

    /** The default provider, the one the design asks for: used where a test does not say. */
    static final String DEFAULT_PROVIDER = "c3p0";

    private Fixtures() {
    }

    /** {@link #SESSION_PROVIDERS} for {@code @MethodSource}. */
    static Stream<String> sessionProviders() {
        return SESSION_PROVIDERS.stream();
    }

    /** A config for {@code schema} with a small pool and short timeouts, on the default provider. */
    static DbConfig.Builder config(TestSchema schema) {
        return config(schema, DEFAULT_PROVIDER);
    }

    /** A config for {@code schema} with a small pool and short timeouts, on the named session provider. */
    static DbConfig.Builder config(TestSchema schema, String sessionProvider) {
        return configChoosingNoProvider(schema).sessionProvider(sessionProvider);
    }

    /**
     * A config for {@code schema} that names no session provider: for tests of discovery in a module layer
     * of their own (the boot layer holds two pools, so elsewhere a choice is needed).
     */
    static DbConfig.Builder configChoosingNoProvider(TestSchema schema) {
        TestDatabase db = schema.database();
        DbConfig.Builder b = DbConfig.builder()
                .url(schema.jdbcUrl())
                .poolName("mt-" + schema.name() + "-" + POOLS.incrementAndGet())
                .minSize(1)
                .maxSize(4)
                .checkoutTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(5));
        db.credentials(b::user, b::password);
        if (db.throughPgBouncer()) {
            // The suite's run through PgBouncer in transaction mode (the pgbouncer-transaction execution).
            b.property("db.pooler", "pgbouncer-transaction");
        }
        return b;
    }
}
