package db.tracing.otel.internal;

import db.api.DatabaseTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosts one pool's statements run on: the configured one, which nearly every statement names, and the
 * others a multi-host URL reaches after a failover, whose attribute sets are built when first seen.
 */
final class KnownServers {
    /**
     * How many hosts other than the configured one get their own attribute sets: the core names only the
     * hosts its URL lists, so this bound is never reached in practice; past it the sets start afresh.
     */
    private static final int MAX_OTHER_SERVERS = 16;

    private final String namespace;
    private final boolean queryText;
    /** The pool's configured host, the one nearly every statement runs on. */
    private final ServerAttributes configured;
    /** Other hosts the pool's connections are on (a multi-host URL after a failover), built when first seen. */
    private final Map<DatabaseTarget, ServerAttributes> others = new ConcurrentHashMap<>();

    KnownServers(DatabaseTarget configured, String namespace, boolean queryText) {
        this.namespace = namespace;
        this.queryText = queryText;
        this.configured = new ServerAttributes(configured, namespace, queryText);
    }

    /** {@return the configured host's attribute sets} */
    ServerAttributes configured() {
        return configured;
    }

    /** The attribute sets of the host a statement runs on: the configured one unless told another. */
    // Identity first on the hot path (the core passes the very instance it opened us with); equals() follows.
    @SuppressWarnings("ReferenceEquality")
    ServerAttributes of(DatabaseTarget target) {
        if (target == null || target == configured.target) {
            return configured; // the hot path: the core hands over the very instance it opened us with
        }
        ServerAttributes server = others.get(target);
        if (server == null) {
            if (target.equals(configured.target)) {
                return configured;
            }
            if (others.size() >= MAX_OTHER_SERVERS) {
                others.clear();
            }
            server = others.computeIfAbsent(target, t -> new ServerAttributes(t, namespace, queryText));
        }
        return server;
    }
}
