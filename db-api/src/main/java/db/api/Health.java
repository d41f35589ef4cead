package db.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The result of {@link Database#health()}: whether a round trip to the database succeeded within
 * the timeout, how long it took, and the pool's statistics.
 *
 * @param healthy whether the round trip succeeded in time
 * @param latency how long the probe took
 * @param stats   the (primary) pool's statistics at the end of the probe
 * @param failure why it was not healthy, or {@code null}
 * @param pools   every pool with its role: the primary's first, then one per standby with whether it is
 *                in rotation, its replay lag and why not (read routing, {@code db.replica.url})
 */
public record Health(boolean healthy, Duration latency, PoolStats stats, DataAccessException failure,
                     List<PoolStatus> pools) {

    /**
     * Copies the pool list.
     *
     * @param healthy whether the round trip succeeded in time
     * @param latency how long the probe took
     * @param stats the (primary) pool's statistics at the end of the probe
     * @param failure why it was not healthy, or {@code null}
     * @param pools every pool with its role: the primary's first, then one per standby with whether it is in
     *     rotation, its replay lag and why not (read routing, {@code db.replica.url})
     */
    public Health {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    /**
     * A result without the per-pool list.
     *
     * @param healthy whether the round trip succeeded in time
     * @param latency how long the probe took
     * @param stats the (primary) pool's statistics at the end of the probe
     * @param failure why it was not healthy, or {@code null}
     */
    public Health(boolean healthy, Duration latency, PoolStats stats, DataAccessException failure) {
        this(healthy, latency, stats, failure, List.of());
    }

    /** {@return why it was not healthy} */
    public Optional<DataAccessException> failureCause() {
        return Optional.ofNullable(failure);
    }
}
