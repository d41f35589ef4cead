package db.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what a pool or a server does in the background, with a deadline so a test never hangs. */
public final class Conditions {
    private Conditions() {
    }

    /**
     * Waits until the condition holds, at most {@code timeout}, polling every 20 ms; returns whether it did
     * (false, too, when interrupted, with the interrupt kept), so the caller asserts with its own message.
     */
    public static boolean eventually(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
