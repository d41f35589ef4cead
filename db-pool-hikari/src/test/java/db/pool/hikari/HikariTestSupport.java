package db.pool.hikari;

import db.api.DbConfig;
import db.testkit.TestSchema;

/** What the HikariCP tests share: a config against the test database. */
final class HikariTestSupport {
    private HikariTestSupport() {
    }

    /**
     * A builder for the test database, in the schema, with {@code app} as application and pool name
     * (so pg_stat_activity and the log tell this pool apart); user and password only where the
     * test database has them.
     */
    static DbConfig.Builder config(TestSchema schema, String app) {
        DbConfig.Builder b = DbConfig.builder().url(schema.jdbcUrl()).applicationName(app).poolName(app);
        schema.database().credentials(b::user, b::password);
        return b;
    }
}
