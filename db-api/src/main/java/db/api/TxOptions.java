package db.api;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How {@link Database#inTransaction(TxOptions, TransactionWork)} runs a transaction: isolation,
 * read-only, and whether and how to retry failures that may not happen again.
 *
 * <p>By default a transaction runs once. With {@link Builder#maxAttempts(int)} above 1, a failure
 * matched by the retry predicate (by default {@link SerializationFailureException} and
 * {@link DeadlockDetectedException}) re-runs the whole unit of work in a fresh transaction after an
 * exponential backoff with full jitter. A {@link TransactionOutcomeUnknownException} is never
 * retried, whatever the predicate says.
 */
public final class TxOptions {

    /** The default: database isolation, read-write, one attempt. */
    public static final TxOptions DEFAULTS = builder().build();

    private static final Set<Class<? extends DataAccessException>> DEFAULT_RETRY_ON =
            Set.of(SerializationFailureException.class, DeadlockDetectedException.class);

    private final Isolation isolation;
    private final boolean readOnly;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Predicate<DataAccessException> retryOn;

    private TxOptions(Builder b) {
        this.isolation = b.isolation;
        this.readOnly = b.readOnly;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.retryOn = b.retryOn;
    }

    /** {@return a builder starting from {@link #DEFAULTS}} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return SERIALIZABLE with up to {@code maxAttempts} attempts on serialization failures and deadlocks}
     *
     * @param maxAttempts how many times the work may run, at least 1
     */
    public static TxOptions serializable(int maxAttempts) {
        return builder().isolation(Isolation.SERIALIZABLE).maxAttempts(maxAttempts).build();
    }

    /** {@return the isolation level} */
    public Isolation isolation() {
        return isolation;
    }

    /** {@return whether the transaction is read-only} */
    public boolean readOnly() {
        return readOnly;
    }

    /** {@return how many times the unit of work may run, at least 1} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the backoff before the first retry; it doubles up to {@link #maxBackoff()}} */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** {@return the longest backoff between two attempts} */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Whether a failure may be retried under these options. Never for a
     * {@link TransactionOutcomeUnknownException}.
     *
     * @param failure the mapped exception the last attempt threw
     * @return whether another attempt may run
     */
    public boolean shouldRetry(DataAccessException failure) {
        if (failure instanceof TransactionOutcomeUnknownException) {
            return false;
        }
        return retryOn.test(failure);
    }

    /**
     * The backoff before attempt {@code attempt + 1} (attempt counts from 1): a random duration
     * between zero and {@code min(maxBackoff, initialBackoff * 2^(attempt-1))} ("full jitter",
     * so that contending transactions spread out instead of colliding again).
     *
     * @param attempt the attempt that just failed, counting from 1
     * @param random a random number in {@code [0, 1)}
     * @return how long to wait before the next attempt
     */
    public Duration backoff(int attempt, double random) {
        if (random < 0 || random >= 1) {
            throw new IllegalArgumentException("random must be in [0, 1)");
        }
        long base = initialBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
        return Duration.ofNanos((long) (ceiling * random));
    }

    /** {@return a builder starting from these options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.isolation = isolation;
        b.readOnly = readOnly;
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.retryOn = retryOn;
        return b;
    }

    @Override
    public String toString() {
        return "TxOptions[isolation=" + isolation + ", readOnly=" + readOnly + ", maxAttempts=" + maxAttempts
                + ", backoff=" + initialBackoff + ".." + maxBackoff + "]";
    }

    /** Builds {@link TxOptions}. */
    public static final class Builder {
        private Isolation isolation = Isolation.DEFAULT;
        private boolean readOnly;
        private int maxAttempts = 1;
        private Duration initialBackoff = Duration.ofMillis(10);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private Predicate<DataAccessException> retryOn = failure -> isDefaultRetryable(failure);

        private Builder() {
        }

        /**
         * Sets the isolation level; default {@link Isolation#DEFAULT}.
         *
         * @param isolation the isolation level
         * @return this builder
         */
        public Builder isolation(Isolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        /**
         * Sets whether the transaction is read-only; default false.
         *
         * @param readOnly whether the transaction is read-only
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Sets how many times the work may run; default 1 (no retry).
         *
         * @param maxAttempts how many times the work may run, at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the first backoff and the cap; defaults 10ms and 1s.
         *
         * @param initial the backoff before the first retry
         * @param max the longest backoff between two attempts
         * @return how long to wait before the next attempt
         */
        public Builder backoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial + ", " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Also retries failures of these types, besides serialization failures and deadlocks.
         *
         * @param types further exception types to retry
         * @return this builder
         */
        @SafeVarargs
        public final Builder alsoRetryOn(Class<? extends DataAccessException>... types) {
            // copied element by element: handing the generic array itself on is what could pollute the heap
            Set<Class<? extends DataAccessException>> copy = new HashSet<>();
            for (Class<? extends DataAccessException> type : types) {
                copy.add(Objects.requireNonNull(type, "type"));
            }
            Set<Class<? extends DataAccessException>> extra = Set.copyOf(copy);
            Predicate<DataAccessException> previous = retryOn;
            this.retryOn = failure -> previous.test(failure)
                    || extra.stream().anyMatch(type -> type.isInstance(failure));
            return this;
        }

        /**
         * Replaces the retry predicate altogether (for example {@link DataAccessException#isRetryable()}).
         *
         * @param predicate decides, for each failure, whether it may be retried
         * @return this builder
         */
        public Builder retryOn(Predicate<DataAccessException> predicate) {
            this.retryOn = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** {@return the options} */
        public TxOptions build() {
            return new TxOptions(this);
        }

        private static boolean isDefaultRetryable(DataAccessException failure) {
            return DEFAULT_RETRY_ON.stream().anyMatch(type -> type.isInstance(failure));
        }
    }
}
