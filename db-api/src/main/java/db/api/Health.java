package db.api;

import java.time.Duration;
import java.util.Optional;

/**
 * The result of {@link Database#health()}: whether a round trip to the database succeeded within
 * the timeout, how long it took, and the pool's statistics.
 *
 * @param healthy whether the round trip succeeded in time
 * @param latency how long the probe took
 * @param stats   the pool's statistics at the end of the probe
 * @param failure why it was not healthy, or {@code null}
 */
public record Health(boolean healthy, Duration latency, PoolStats stats, DataAccessException failure) {

    /** Why it was not healthy. */
    public Optional<DataAccessException> failureCause() {
        return Optional.ofNullable(failure);
    }
}
