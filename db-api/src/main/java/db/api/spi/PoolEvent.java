package db.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Something that happened in a pool.
 *
 * @param kind     what happened
 * @param duration how long it took: the wait for {@link Kind#CHECKOUT} and {@link Kind#TIMEOUT}, the
 *                 time the connection was lent for {@link Kind#RELEASE}, the connect time for
 *                 {@link Kind#CONNECTION_CREATED}, the age of the session for {@link Kind#LEAK}
 */
public record PoolEvent(Kind kind, Duration duration) {

    /** What happened. */
    public enum Kind {
        /** A session got a connection. */
        CHECKOUT,
        /** A session gave its connection back. */
        RELEASE,
        /** A checkout gave up after the checkout timeout. */
        TIMEOUT,
        /** The pool opened a physical connection. */
        CONNECTION_CREATED,
        /** A session was open longer than the leak threshold. */
        LEAK
    }

    /**
     * Validates the parts.
     *
     * @param kind what happened
     * @param duration how long it took: the wait for {@link Kind#CHECKOUT} and {@link Kind#TIMEOUT}, the
     *     time the connection was lent for {@link Kind#RELEASE}, the connect time for {@link
     *     Kind#CONNECTION_CREATED}, the age of the session for {@link Kind#LEAK}
     */
    public PoolEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
    }
}
