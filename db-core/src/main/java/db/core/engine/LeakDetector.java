package db.core.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reports sessions open longer than {@code db.pool.leak-threshold}, once each, at WARN with the stack
 * trace of where they were opened. A leaked session is not destroyed: it may be a slow, legitimate
 * one. When the threshold is zero nothing is captured or scheduled.
 */
final class LeakDetector {
    private static final Logger LOG = LogManager.getLogger(LeakDetector.class);

    /** A session being watched. */
    interface Watch {
        void cancel();
    }

    private static final Watch NONE = () -> { };

    private final Duration threshold;
    private final ScheduledExecutorService scheduler;
    private final String poolName;
    private final Consumer<Duration> onLeak;

    LeakDetector(Duration threshold, ScheduledExecutorService scheduler, String poolName, Consumer<Duration> onLeak) {
        this.threshold = threshold;
        this.scheduler = scheduler;
        this.poolName = poolName;
        this.onLeak = onLeak;
    }

    Watch watch(SessionImpl session) {
        if (threshold.isZero()) {
            return NONE;
        }
        // Captured at open, because the report must say where the leaked session came from.
        Throwable openedAt = new Throwable("Session opened here");
        ScheduledFuture<?> task = scheduler.schedule(() -> report(session, openedAt),
                threshold.toNanos(), TimeUnit.NANOSECONDS);
        return () -> task.cancel(false);
    }

    private void report(SessionImpl session, Throwable openedAt) {
        if (session.isClosed()) {
            return;
        }
        Duration age = session.age();
        LOG.warn("Possible session leak in pool '{}': a session has been open for {} ms (leak threshold {} ms) "
                + "and was not closed; close sessions with try-with-resources. Opened at:",
                poolName, age.toMillis(), threshold.toMillis(), openedAt);
        onLeak.accept(age);
    }
}
