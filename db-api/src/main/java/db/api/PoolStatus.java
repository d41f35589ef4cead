package db.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One pool of a {@link Database}, as {@link Database#pools()} and {@link Health#pools()} report it: the
 * primary's pool, and with read routing ({@code db.replica.url}) one pool per standby.
 *
 * @param role                {@link Role#PRIMARY} or {@link Role#REPLICA}
 * @param server              {@code host:port} the pool connects to: for a multi-host primary URL the host
 *                            of its newest connection (after a failover, the new primary), or every host
 *                            listed, comma-separated, before it has one
 * @param stats               the pool's statistics
 * @param inRotation          whether read-only work is sent there now (always true for the primary)
 * @param replayLag           the standby's replay lag at the last probe; empty when unknown or not a standby
 * @param outOfRotationReason why a standby is out of rotation; empty while it is in rotation
 */
public record PoolStatus(Role role, String server, PoolStats stats, boolean inRotation,
                         Optional<Duration> replayLag, Optional<String> outOfRotationReason) {

    /** What a pool is for. */
    public enum Role {
        /** Read-write work, and read-only work when no standby takes it. */
        PRIMARY,
        /** Read-only work only. */
        REPLICA;

        /** {@return {@code primary} or {@code replica}, as in logs and the {@code switchboard.pool.role} metric attribute} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Validates the parts.
     *
     * @param role {@link Role#PRIMARY} or {@link Role#REPLICA}
     * @param server {@code host:port} the pool connects to: for a multi-host primary URL the host of its
     *     newest connection (after a failover, the new primary), or every host listed, comma-separated,
     *     before it has one
     * @param stats the pool's statistics
     * @param inRotation whether read-only work is sent there now (always true for the primary)
     * @param replayLag the standby's replay lag at the last probe; empty when unknown or not a standby
     * @param outOfRotationReason why a standby is out of rotation; empty while it is in rotation
     */
    public PoolStatus {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(replayLag, "replayLag");
        Objects.requireNonNull(outOfRotationReason, "outOfRotationReason");
    }
}
