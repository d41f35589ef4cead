package db.faults;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.api.DbConfig;
import db.api.Session;
import db.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Java counterpart of the original design's async pool: 2,000 virtual threads share a pool of 10,
 * each running one session with {@code pg_sleep(0.01)}. Zero errors, completion near the ideal 2 s, and no
 * {@code jdk.VirtualThreadPinned} event whose stack is in the checkout path (whose frames are taken from a
 * live checkout, see {@link #checkoutFrames(Database, ExecutorService)}).
 *
 * <p>Needs JDK 21+; the build runs this class on the machine's Temurin 25 (surefire execution
 * {@code virtual-threads-jdk25}, which runs the classes tagged {@code jdk21}; the JDK 17 execution leaves
 * them out). The library and this class are compiled for Java 17, so the virtual thread executor is reached
 * by reflection.
 */
@Tag("jdk21")
class VirtualThreadsTest {

    static final int TASKS = 2_000;
    static final int POOL = 10;
    static final Duration IDEAL = Duration.ofMillis(TASKS * 10L / POOL);

    /** Committed from a known frame while recording: the reading of JFR stacks must find that frame. */
    @Name("db.faults.FrameProbe")
    @StackTrace(true)
    static final class FrameProbe extends Event {
    }

    @Test
    void twoThousandVirtualThreadsOnAPoolOfTen() throws Exception {
        assertThat(Runtime.version().feature())
                .as("virtual threads need JDK 21+: run this class with the build's virtual-threads-jdk25 execution "
                        + "(Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64)")
                .isGreaterThanOrEqualTo(21);
        TestDatabase test = TestDatabase.get();
        DbConfig.Builder config = DbConfig.builder()
                .sessionProvider("c3p0")
                .url(test.jdbcUrl())
                .minSize(POOL)
                .maxSize(POOL)
                .poolName("faults-virtual")
                .applicationName("faults-virtual");
        if (test.user() != null) {
            config.user(test.user());
        }
        if (test.password() != null) {
            config.password(test.password());
        }
        Path jfr = Files.createTempFile("virtual-threads", ".jfr");
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        long elapsedNanos;
        Set<String> checkout;
        try (Database db = Database.open(config.build()); Recording recording = new Recording()) {
            // Every pinning, however short, with its stack: the checkout path must not pin at all.
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            ExecutorService executor = (ExecutorService) Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            warmUp(db, executor);
            checkout = checkoutFrames(db, executor);
            System.out.println("[faults] checkout frames, from a live checkout: " + checkout);
            recording.enable(FrameProbe.class);
            recording.start();
            commitFrameProbe();
            long start = System.nanoTime();
            for (int i = 0; i < TASKS; i++) {
                executor.execute(() -> {
                    try (Session s = db.openSession()) {
                        s.queryOne("SELECT pg_sleep(0.01)", rs -> 1);
                        done.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                });
            }
            executor.shutdown();
            boolean finished = executor.awaitTermination(60, TimeUnit.SECONDS); // bounded
            elapsedNanos = System.nanoTime() - start;
            recording.stop();
            recording.dump(jfr);
            assertThat(finished).as("all virtual threads finished within 60 s").isTrue();
        }
        List<RecordedEvent> recorded = RecordingFile.readAllEvents(jfr);
        Files.deleteIfExists(jfr);
        // Positive control of the JFR side: the probe's own frame is read back in the form the checkout
        // frames have, so a recogniser that cannot match a recorded frame fails here, not silently below.
        String probeFrame = VirtualThreadsTest.class.getName() + ".commitFrameProbe";
        assertThat(recorded.stream().filter(e -> e.getEventType().getName().equals("db.faults.FrameProbe"))
                .map(VirtualThreadsTest::frames).filter(stack -> inCheckoutPath(stack, Set.of(probeFrame))).count())
                .as("recorded probe events whose stack holds %s", probeFrame).isEqualTo(1);
        List<String> inCheckout = new ArrayList<>();
        Map<String, Integer> pinnedAt = new TreeMap<>();
        for (RecordedEvent event : recorded) {
            if (!event.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                continue;
            }
            String top = topFrame(event);
            pinnedAt.merge(top, 1, Integer::sum);
            if (inCheckoutPath(frames(event), checkout)) {
                inCheckout.add(top);
                System.out.println("[faults] pinned in the checkout path: " + describe(event));
            }
        }
        double ratio = elapsedNanos / (double) IDEAL.toNanos();
        System.out.printf("[faults] virtual threads on JDK %s: %d tasks on a pool of %d in %d ms (ideal %d ms, "
                        + "%.2fx; target 1.5x %s) | errors %s | jdk.VirtualThreadPinned: %d in total, %d in the checkout "
                        + "path %s%n",
                Runtime.version(), done.get(), POOL, elapsedNanos / 1_000_000, IDEAL.toMillis(), ratio,
                ratio <= 1.5 ? "met" : "missed by " + String.format("%.2fx", ratio - 1.5), new TreeMap<>(errors),
                pinnedAt.values().stream().mapToInt(Integer::intValue).sum(), inCheckout.size(), pinnedAt);
        assertThat(errors).as("errors").isEmpty();
        assertThat(done.get()).isEqualTo(TASKS);
        assertThat(inCheckout).as("virtual threads pinned in the checkout path").isEmpty();
        // A bound, not the target: the target (1.5x) is printed above; a loaded 2-core CI machine gets slack.
        assertThat(ratio).as("completion relative to the ideal " + IDEAL.toMillis() + " ms").isLessThan(5.0);
    }

    /**
     * Opens the pool's connections and lets the JDK set up, once per JVM, what the first virtual thread
     * blocking on a socket needs (its I/O poller, whose initialization another virtual thread waits for
     * pinned): one-time effects, not the steady state being measured.
     */
    private static void warmUp(Database db, ExecutorService virtualThreads) throws InterruptedException {
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < POOL * 2; i++) {
            futures.add(virtualThreads.submit(() -> {
                try (Session s = db.openSession()) {
                    s.queryOne("SELECT pg_sleep(0.01)", rs -> 1);
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("warm-up failed", e);
            }
        }
    }

    private static String describe(RecordedEvent event) {
        StringBuilder b = new StringBuilder();
        if (event.hasField("pinnedReason")) {
            b.append("reason=").append(event.getString("pinnedReason")).append(' ');
        }
        if (event.getStackTrace() != null) {
            event.getStackTrace().getFrames().stream().limit(40).forEach(f -> b.append("\n    at ")
                    .append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName())
                    .append(f.isJavaFrame() ? "" : " (native)"));
        }
        return b.toString();
    }

    private static String topFrame(RecordedEvent event) {
        if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
            return "(no stack)";
        }
        RecordedFrame frame = event.getStackTrace().getFrames().get(0);
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /**
     * The checkout path's frames, taken from a live checkout rather than written down as class names, so
     * they follow the engine wherever its classes live: with every connection of the pool held, one more
     * {@code openSession()} waits, and its stack's library frames ({@code Class.method}, everything between
     * this test and the JDK's parking) are the frames the recogniser looks for. A pinned event under any of
     * them, the pool's borrow included (it runs below {@code openSession}), is in the checkout path.
     */
    private static Set<String> checkoutFrames(Database db, ExecutorService virtualThreads) throws Exception {
        List<Session> held = new ArrayList<>();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        java.util.concurrent.Future<?> waiting;
        StackTraceElement[] stack = null;
        try {
            for (int i = 0; i < POOL; i++) {
                held.add(db.openSession());
            }
            waiting = virtualThreads.submit(() -> {
                waiter.set(Thread.currentThread());
                try (Session s = db.openSession()) {
                    s.queryOne("SELECT 1", rs -> 1);
                }
            });
            String entry = db.getClass().getName();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Thread t = waiter.get();
                if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                    StackTraceElement[] now = t.getStackTrace();
                    if (Arrays.stream(now).anyMatch(f -> f.getClassName().equals(entry))) {
                        stack = now;
                        break;
                    }
                }
                Thread.sleep(5);
            }
        } finally {
            held.forEach(Session::close);
        }
        waiting.get(30, TimeUnit.SECONDS);
        assertThat(stack).as("a checkout waiting for a connection of the full pool was seen, parked, in %s",
                db.getClass().getName()).isNotNull();
        Set<String> frames = new LinkedHashSet<>();
        for (StackTraceElement f : stack) {
            if (isLibraryFrame(f.getClassName())) {
                frames.add(f.getClassName() + "." + f.getMethodName());
            }
        }
        // Positive controls: the recogniser is not empty, and it holds the engine's own frames below the
        // entry point (what waits is the engine, whatever its package), not just the API's openSession.
        assertThat(frames).as("checkout frames from the waiting stack %s", Arrays.toString(stack)).isNotEmpty();
        assertThat(frames).as("the entry point %s.openSession is among the checkout frames", db.getClass().getName())
                .contains(db.getClass().getName() + ".openSession");
        assertThat(frames.stream().filter(f -> !f.startsWith(Database.class.getName() + ".")))
                .as("engine frames below the API in %s", frames).isNotEmpty();
        return Set.copyOf(frames);
    }

    /** A frame of the library: not the JDK's, not this test's (a package prefix the test's own class names). */
    private static boolean isLibraryFrame(String className) {
        return !(className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith(VirtualThreadsTest.class.getPackageName() + "."));
    }

    /** An event's frames as {@code Class.method}, top first; none when it has no stack. */
    private static List<String> frames(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            out.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
        }
        return out;
    }

    /** Whether a stack passes through the checkout path: one of its frames is one of {@code checkout}. */
    private static boolean inCheckoutPath(List<String> stack, Set<String> checkout) {
        return stack.stream().anyMatch(checkout::contains);
    }

    private static void commitFrameProbe() {
        new FrameProbe().commit();
    }
}
