package db.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer (Debian's {@code pgbouncer} package) on a free port of 127.0.0.1 in front of one
 * throwaway PostgreSQL, for tests: trust authentication for {@code postgres}, every database of the
 * backend reachable by name, a pool mode of the test's choice. Runs in the foreground as a child of this
 * JVM (as the {@code postgres} OS user when this process is root: PgBouncer refuses root); {@link #close()}
 * stops it and removes its directory. When the binary is missing, {@link #start} fails saying how to
 * install it.
 */
public final class PgBouncer implements AutoCloseable {

    /** PgBouncer's {@code pool_mode}. */
    public enum PoolMode {
        /** A server connection per client connection. */
        SESSION,
        /** A server connection per transaction: session state does not survive the transaction. */
        TRANSACTION;

        String setting() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final int port;
    private final PoolMode mode;
    private final int backendPort;

    private PgBouncer(Process process, Path dir, int port, PoolMode mode, int backendPort) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.mode = mode;
        this.backendPort = backendPort;
    }

    /**
     * Starts PgBouncer in front of {@code 127.0.0.1:backendPort} and waits until it accepts connections.
     *
     * @throws IllegalStateException when the binary is missing (with how to install it) or it does not start
     */
    public static PgBouncer start(int backendPort, PoolMode mode) {
        if (backendPort == 5432) {
            throw new IllegalArgumentException("the shared cluster on 5432 is not for PgBouncer tests: use a PgCluster");
        }
        Path binary = binary();
        boolean root = LocalBackend.isRoot();
        Path dir;
        try {
            dir = Files.createTempDirectory("switchboard-pgbouncer-");
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(PgCluster.USER);
                Files.setOwner(dir, postgres);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for PgBouncer: " + e.getMessage(), e);
        }
        for (int attempt = 1; ; attempt++) {
            int port = PgCluster.freePort();
            Path ini = dir.resolve("pgbouncer.ini");
            try {
                Files.writeString(dir.resolve("userlist.txt"), "\"" + PgCluster.USER + "\" \"\"\n");
                Files.writeString(ini, config(dir, port, backendPort, mode));
            } catch (IOException e) {
                LocalBackend.deleteRecursively(dir);
                throw new IllegalStateException("could not write PgBouncer's configuration: " + e.getMessage(), e);
            }
            List<String> command = new ArrayList<>();
            if (root) {
                // setpriv execs PgBouncer itself, so destroying the child process stops PgBouncer.
                command.addAll(List.of("setpriv", "--reuid=" + PgCluster.USER, "--regid=" + PgCluster.USER,
                        "--init-groups", "--"));
            }
            command.addAll(List.of(binary.toString(), ini.toString()));
            Process process;
            try {
                process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            } catch (IOException e) {
                LocalBackend.deleteRecursively(dir);
                throw new IllegalStateException("PgBouncer could not run (" + binary + "): " + e.getMessage(), e);
            }
            PgBouncer bouncer = new PgBouncer(process, dir, port, mode, backendPort);
            if (bouncer.awaitListening()) {
                System.out.println("[testkit] " + bouncer);
                return bouncer;
            }
            String log = bouncer.logTail();
            bouncer.stopProcess();
            if (attempt < 3 && log.contains("Address already in use")) {
                continue;
            }
            LocalBackend.deleteRecursively(dir);
            throw new IllegalStateException("PgBouncer did not start on 127.0.0.1:" + port + " within "
                    + READY_TIMEOUT.toSeconds() + " s; its log:\n" + log);
        }
    }

    private static String config(Path dir, int port, int backendPort, PoolMode mode) {
        return "[databases]\n"
                + "* = host=127.0.0.1 port=" + backendPort + "\n"
                + "\n[pgbouncer]\n"
                + "listen_addr = 127.0.0.1\n"
                + "listen_port = " + port + "\n"
                + "unix_socket_dir =\n"
                + "auth_type = trust\n"
                + "auth_file = " + dir.resolve("userlist.txt") + "\n"
                // Roles not in auth_file (a test's own roles) are looked up on the server, then trusted.
                + "auth_user = " + PgCluster.USER + "\n"
                + "admin_users = " + PgCluster.USER + "\n"
                + "pool_mode = " + mode.setting() + "\n"
                + "max_client_conn = 200\n"
                + "default_pool_size = 10\n"
                + "reserve_pool_size = 0\n"
                // pgjdbc sends extra_float_digits at startup; PgBouncer 1.18 refuses unknown startup parameters.
                + "ignore_startup_parameters = extra_float_digits\n"
                + "server_reset_query = DISCARD ALL\n"
                + "server_check_delay = 1\n"
                + "logfile = " + dir.resolve("pgbouncer.log") + "\n"
                + "pidfile = " + dir.resolve("pgbouncer.pid") + "\n"
                + "log_connections = 0\n"
                + "log_disconnections = 0\n";
    }

    private static Path binary() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("PGBOUNCER");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("/usr/sbin/pgbouncer"));
        candidates.add(Path.of("/usr/bin/pgbouncer"));
        candidates.add(Path.of("/usr/local/bin/pgbouncer"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new IllegalStateException("PgBouncer is not installed: this test runs Switchboard through a real "
                        + "PgBouncer. Install Debian's package (apt-get update && apt-get install -y pgbouncer; "
                        + ".ci/run does this) or set PGBOUNCER to the pgbouncer binary."));
    }

    private boolean awaitListening() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException e) {
                PgCluster.sleep(50);
            }
        }
        return false;
    }

    /** The port PgBouncer listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The pool mode. */
    public PoolMode mode() {
        return mode;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/database} through PgBouncer. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The last lines of PgBouncer's log, for failure messages. */
    public String logTail() {
        String log = PgCluster.readTail(dir.resolve("pgbouncer.log"), 30);
        String out = PgCluster.readTail(dir.resolve("stdout.log"), 10);
        return log + (out.isBlank() ? "" : "\n" + out);
    }

    private void stopProcess() {
        process.destroy(); // SIGTERM: PgBouncer shuts down at once
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Stops PgBouncer and removes its directory. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stopProcess();
        }
        LocalBackend.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "PgBouncer[127.0.0.1:" + port + " pool_mode=" + mode.setting() + " -> 127.0.0.1:" + backendPort + "]";
    }
}
