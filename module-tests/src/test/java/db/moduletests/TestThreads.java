package db.moduletests;

import java.util.concurrent.Executor;

/** Where the tests run their asynchronous steps. */
final class TestThreads {
    /**
     * A new daemon thread per task. Not the default of {@code CompletableFuture.supplyAsync}: on JDK 25 (not on 17)
     * that is the common pool even when its parallelism is 1 (2 cores), so a second step (say, closing the pool)
     * would queue behind a first one that blocks in a checkout, and a test meant to see the two overlap
     * would only see a checkout timeout.
     */
    static final Executor THREAD_PER_TASK = task -> {
        Thread thread = new Thread(task, "test-step");
        thread.setDaemon(true);
        thread.start();
    };

    private TestThreads() {}
}
