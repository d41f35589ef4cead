package db.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HAProxy (Debian's {@code haproxy} package) in front of a {@link PatroniCluster}, configured as
 * Patroni's documentation recommends: a write port whose only healthy server is the member whose REST API
 * answers 200 on {@code /primary}, a read port balancing over the members that answer 200 on
 * {@code /replica}, health checks every {@value #CHECK_INTERVAL_MILLIS} ms, and
 * {@code on-marked-down shutdown-sessions} so that connections to a member that lost its role are cut at
 * once instead of lingering. Runs in the foreground as a child of this JVM; {@link #close()} stops it.
 */
public final class HaProxy implements AutoCloseable {

    /** How often HAProxy asks each member's REST API for its role, in milliseconds. */
    public static final int CHECK_INTERVAL_MILLIS = 500;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final int writePort;
    private final int readPort;

    private HaProxy(Process process, Path dir, int writePort, int readPort) {
        this.process = process;
        this.dir = dir;
        this.writePort = writePort;
        this.readPort = readPort;
    }

    /**
     * Starts HAProxy in front of {@code cluster} and waits until both ports accept connections.
     *
     * @throws IllegalStateException when the binary is missing (with how to install it) or it does not start
     */
    public static HaProxy start(PatroniCluster cluster) {
        Path binary = Stream.of("/usr/sbin/haproxy", "/usr/bin/haproxy").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new IllegalStateException("HAProxy is not installed: this test runs "
                        + "Switchboard through a real HAProxy. Install Debian's package (apt-get update && apt-get "
                        + "install -y haproxy; .ci/run does this)."));
        Path dir;
        try {
            dir = Files.createTempDirectory("switchboard-haproxy-");
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for HAProxy: " + e.getMessage(), e);
        }
        int writePort = PgCluster.freePort();
        int readPort = PgCluster.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Process process;
        try {
            Files.writeString(cfg, config(cluster.members(), writePort, readPort));
            // -db: stay in the foreground, so that destroying the child process stops HAProxy.
            process = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString()).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        } catch (IOException e) {
            LocalBackend.deleteRecursively(dir);
            throw new IllegalStateException("HAProxy could not run (" + binary + "): " + e.getMessage(), e);
        }
        HaProxy proxy = new HaProxy(process, dir, writePort, readPort);
        if (!proxy.awaitListening()) {
            String log = proxy.logTail();
            proxy.close();
            throw new IllegalStateException("HAProxy did not listen on 127.0.0.1:" + writePort + " and " + readPort
                    + " within " + READY_TIMEOUT.toSeconds() + " s; its output:\n" + log);
        }
        System.out.println("[testkit] " + proxy);
        return proxy;
    }

    private static String config(List<PatroniCluster.Member> members, int writePort, int readPort) {
        return "global\n"
                + "    maxconn 400\n"
                + "defaults\n"
                + "    mode tcp\n"
                + "    timeout connect 1s\n"
                // Pooled connections stay idle for minutes: the proxy must not cut them.
                + "    timeout client 1h\n"
                + "    timeout server 1h\n"
                + "    timeout check 1s\n"
                + backend("primary", "/primary", writePort, members)
                + backend("replicas", "/replica", readPort, members);
    }

    private static String backend(String name, String check, int port, List<PatroniCluster.Member> members) {
        StringBuilder b = new StringBuilder("listen ").append(name).append('\n')
                .append("    bind 127.0.0.1:").append(port).append('\n')
                .append("    balance roundrobin\n")
                .append("    option httpchk\n")
                .append("    http-check send meth OPTIONS uri ").append(check).append('\n')
                .append("    http-check expect status 200\n")
                .append("    default-server inter ").append(CHECK_INTERVAL_MILLIS)
                .append("ms fall 2 rise 1 on-marked-down shutdown-sessions\n");
        for (PatroniCluster.Member m : members) {
            b.append("    server ").append(m.name()).append(' ').append(m.address())
                    .append(" check port ").append(m.restPort()).append('\n');
        }
        return b.toString();
    }

    private boolean awaitListening() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (listening(writePort) && listening(readPort)) {
                return true;
            }
            PgCluster.sleep(50);
        }
        return false;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The port on 127.0.0.1 that leads to the leader. */
    public int writePort() {
        return writePort;
    }

    /** The port on 127.0.0.1 that leads to a replica (round robin). */
    public int readPort() {
        return readPort;
    }

    /** {@code jdbc:postgresql://127.0.0.1:WRITE_PORT/test}. */
    public String writeUrl() {
        return "jdbc:postgresql://127.0.0.1:" + writePort + "/" + PgCluster.DATABASE;
    }

    /** {@code jdbc:postgresql://127.0.0.1:READ_PORT/test}. */
    public String readUrl() {
        return "jdbc:postgresql://127.0.0.1:" + readPort + "/" + PgCluster.DATABASE;
    }

    /** The last lines of HAProxy's output (server state changes), for failure messages. */
    public String logTail() {
        return PgCluster.readTail(dir.resolve("haproxy.log"), 30);
    }

    /** Stops HAProxy and removes its directory. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        LocalBackend.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "HaProxy[write 127.0.0.1:" + writePort + ", read 127.0.0.1:" + readPort + "]";
    }
}
