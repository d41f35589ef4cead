package db.core.engine;

import db.api.ConfigException;
import db.api.DbConfig;
import db.api.DbKeys;
import db.core.support.SqlTextCache;
import java.util.Locale;
import java.util.Optional;

/**
 * What a session sends to put the server session back before its connection is lent again
 * ({@code db.pool.reset}): {@code auto} resets only the kinds of state the session's SQL changed (see
 * {@link SessionStateSql}), {@code always} resets everything on every return (one round trip each time,
 * for applications that change session state where the core cannot see it), {@code never} trusts the
 * application (JDBC-level properties are still restored by their dirty bits).
 *
 * <p>The reset is the precise subset of what {@code DISCARD ALL} does, in one round trip. Not
 * {@code DISCARD ALL} itself: it cannot share a round trip with other statements (it refuses to run
 * inside the implicit transaction of a multi-statement query). After a reset of parameters or roles, the
 * connection's baseline (the pool's init SQL and connection initializers) is applied again. pgjdbc notices
 * {@code DEALLOCATE ALL} in the command
 * status and drops its server-prepared statement cache, so its later statements are prepared again.
 *
 * <p>Thread-safe: besides its policy it holds only a bounded cache of what each SQL text changes, because
 * scanning a text on every prepare costs in proportion to its length (microseconds for a kilobyte).
 */
final class SessionReset {
    private static final String KEY = DbKeys.POOL_RESET.name();

    /** {@code db.pool.reset}. */
    enum Policy { AUTO, ALWAYS, NEVER }

    private final Policy policy;
    /** The {@link SessionStateSql} bits of each text; under {@code always}/{@code never} only {@code BEGIN}. */
    private final SqlTextCache<Integer> classifications;

    SessionReset(Policy policy) {
        this.policy = policy;
        this.classifications = new SqlTextCache<>(1_000, 4_096,
                policy == Policy.AUTO ? SessionStateSql::classify : SessionStateSql::opensTransaction);
    }

    static SessionReset from(DbConfig config) {
        return new SessionReset(policy(config.get(DbKeys.POOL_RESET)));
    }

    static Policy policy(Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return Policy.AUTO;
        }
        try {
            return Policy.valueOf(value.get().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY + " must be auto, always or never, not '" + value.get().strip() + "'");
        }
    }

    Policy policy() {
        return policy;
    }

    /**
     * What {@code sql} changes, as {@link SessionStateSql} bits: every kind under {@code auto}; under
     * {@code always} and {@code never} only an explicit {@code BEGIN} (a transaction left open is never
     * lent, whatever the policy).
     */
    int classify(String sql) {
        return classifications.get(sql);
    }

    /** The SQL that resets state of the kinds in {@code dirtyBits}, or {@code null} when nothing is to run. */
    String sql(int dirtyBits) {
        int bits = effective(dirtyBits);
        if (bits == 0) {
            return null;
        }
        StringBuilder sql = new StringBuilder(128);
        if ((bits & SessionStateSql.CURSOR) != 0) {
            sql.append("CLOSE ALL;");
        }
        if ((bits & SessionStateSql.ROLE) != 0) {
            sql.append("SET SESSION AUTHORIZATION DEFAULT;RESET ROLE;");
        }
        if ((bits & SessionStateSql.GUC) != 0) {
            sql.append("RESET ALL;");
        }
        if ((bits & SessionStateSql.PREPARED) != 0) {
            sql.append("DEALLOCATE ALL;");
        }
        if ((bits & SessionStateSql.LISTEN) != 0) {
            sql.append("UNLISTEN *;");
        }
        if ((bits & SessionStateSql.ADVISORY) != 0) {
            sql.append("SELECT pg_advisory_unlock_all();");
        }
        if ((bits & SessionStateSql.TEMP) != 0) {
            sql.append("DISCARD TEMP;");
        }
        if (policy == Policy.ALWAYS) {
            sql.append("DISCARD PLANS;DISCARD SEQUENCES;");
        }
        return sql.toString();
    }

    private int effective(int dirtyBits) {
        return switch (policy) {
            case AUTO -> dirtyBits;
            case ALWAYS -> SessionStateSql.ALL;
            case NEVER -> 0;
        };
    }

    /**
     * Whether the reset of {@code dirtyBits} undid what the connection's baseline (the pool's init SQL
     * and connection initializers) set up, so that it must be applied again: parameters and roles.
     */
    boolean undoesBaseline(int dirtyBits) {
        return (effective(dirtyBits) & (SessionStateSql.GUC | SessionStateSql.ROLE)) != 0;
    }

    @Override
    public String toString() {
        return policy.name().toLowerCase(Locale.ROOT);
    }
}
