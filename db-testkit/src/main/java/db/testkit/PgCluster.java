package db.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A throwaway PostgreSQL cluster for tests that restart, stop or crash the server (the shared server on
 * 5432 is never touched): its own data directory in a temporary directory, its own free port on
 * 127.0.0.1, trust authentication for user {@code postgres}, a database {@code test}. {@link #close()}
 * stops it and removes the directory; a JVM shutdown hook does the same for clusters a test forgot, and
 * clusters left behind by a JVM that was killed are removed by the next {@link #start()}.
 *
 * <p>Where it comes from, in order: {@code initdb} and {@code pg_ctl} from {@code pg_config --bindir}
 * (or {@code PG_BINDIR}), run as the {@code postgres} OS user when this process is root (initdb refuses
 * root); else a Testcontainers PostgreSQL when a Docker engine answers; else {@link #start()} fails with
 * a message saying how to provide one. Tests that need a cluster are never skipped.
 *
 * <p>Faults: {@link #stopFast()}, {@link #stopImmediate()}, {@link #crash()} (SIGKILL of the
 * postmaster and its children: no shutdown checkpoint, crash recovery on the next start),
 * {@link #start()}-again via {@link #startAgain()}, {@link #restartFast()}. Every call is bounded and
 * throws when the server does not reach the expected state in time.
 */
public final class PgCluster implements AutoCloseable {

    /** The superuser of every throwaway cluster (trust authentication on loopback). */
    public static final String USER = "postgres";
    /** The database created in every throwaway cluster, besides {@code postgres}. */
    public static final String DATABASE = "test";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Backend backend;
    private final String host;
    private final Map<String, String> settings;
    private volatile boolean closed;

    private PgCluster(Backend backend, Map<String, String> settings) {
        this.backend = backend;
        this.host = "127.0.0.1";
        this.settings = settings;
    }

    /** A new cluster with the test kit's defaults, started and answering. */
    public static PgCluster start() {
        return builder().start();
    }

    /** Settings for a new cluster. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a throwaway cluster. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
            // Throwaway data: a crash of the processes (not of the machine) loses nothing without fsync,
            // and seven people share two cores and one disk.
            settings.put("fsync", "off");
            settings.put("max_connections", "100");
            settings.put("shared_buffers", "32MB");
            settings.put("log_min_messages", "warning");
            settings.put("log_connections", "off");
            settings.put("log_disconnections", "off");
        }

        /** A {@code postgresql.conf} setting (value as written in the file, e.g. {@code 'replica'}). */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** Creates, starts and waits until the cluster answers. */
        public PgCluster start() {
            Map<String, String> copy = Map.copyOf(settings);
            Backend backend = LocalBackend.create(copy);
            if (backend == null) {
                backend = DockerBackend.createIfDockerAnswers(copy);
            }
            if (backend == null) {
                throw new IllegalStateException("No throwaway PostgreSQL cluster for this test: initdb and pg_ctl "
                        + "were not found (neither in PG_BINDIR nor in `pg_config --bindir`) and no Docker engine "
                        + "answers for Testcontainers. Install the PostgreSQL server binaries (Debian: "
                        + "apt-get install postgresql) or start a Docker engine.");
            }
            PgCluster cluster = new PgCluster(backend, copy);
            Cleanup.register(cluster);
            try {
                backend.start();
                cluster.awaitReady();
                cluster.createTestDatabase();
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            System.out.println("[testkit] throwaway cluster: " + cluster);
            return cluster;
        }
    }

    /** {@code 127.0.0.1}. */
    public String host() {
        return host;
    }

    /** The cluster's port on 127.0.0.1 (never 5432). */
    public int port() {
        return backend.port();
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/test}. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The JDBC URL of one database of the cluster. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port() + "/" + database;
    }

    /** The superuser, {@code postgres}. */
    public String user() {
        return USER;
    }

    /** The settings the cluster was created with. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The data directory (local clusters; inside the container for Docker). */
    public String dataDirectory() {
        return backend.dataDirectory();
    }

    /** A new plain JDBC connection to {@code test} (not pooled), for setup and checks. */
    public Connection connect() throws SQLException {
        return connect(DATABASE);
    }

    /** A new plain JDBC connection to {@code database}, with a 5 s connect and 30 s socket timeout. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        props.setProperty("ApplicationName", "pgcluster-admin");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Whether a new connection succeeds now. */
    public boolean answers() {
        try (Connection c = connect("postgres")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Shutdown mode "fast": sessions are terminated, a shutdown checkpoint is written. Waits until down. */
    public void stopFast() {
        backend.stop("fast");
    }

    /** Shutdown mode "immediate": processes quit without a checkpoint; recovery runs on the next start. */
    public void stopImmediate() {
        backend.stop("immediate");
    }

    /**
     * A crash: SIGKILL of the postmaster and every process of the cluster, as when the machine or the
     * OOM killer takes them. The next {@link #startAgain()} runs crash recovery.
     */
    public void crash() {
        backend.crash();
    }

    /** Starts a stopped or crashed cluster again and waits until it answers. */
    public void startAgain() {
        backend.start();
        awaitReady();
    }

    /** {@code pg_ctl restart -m fast}: stop fast, start, wait until it answers. */
    public void restartFast() {
        stopFast();
        startAgain();
    }

    /** Whether the server's processes are running (not whether it accepts connections yet). */
    public boolean running() {
        return backend.running();
    }

    /** The last lines of the server log, for failure messages. */
    public String logTail() {
        return backend.logTail();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("throwaway cluster on port " + port() + " did not answer within "
                + READY_TIMEOUT.toSeconds() + " s; server log:\n" + logTail());
    }

    private void createTestDatabase() {
        try (Connection c = connect("postgres"); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server at once (immediate) and removes its directory or container. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            backend.destroy();
        } finally {
            Cleanup.unregister(this);
        }
    }

    @Override
    public String toString() {
        return "PgCluster[" + backend.describe() + ", 127.0.0.1:" + port() + "]";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static int freePort() {
        // Free now; a race with another process is caught by the server failing to start (retried).
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            if (port == 5432) {
                return freePort();
            }
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** What runs the server: local binaries or a container. */
    interface Backend {
        int port();

        String dataDirectory();

        void start();

        void stop(String mode);

        void crash();

        boolean running();

        String logTail();

        void destroy();

        String describe();
    }

    /** Removes clusters on JVM exit. */
    private static final class Cleanup {
        private static final List<PgCluster> OPEN = new ArrayList<>();
        private static boolean hooked;

        static synchronized void register(PgCluster cluster) {
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "pgcluster-cleanup"));
            }
            OPEN.add(cluster);
        }

        static synchronized void unregister(PgCluster cluster) {
            OPEN.remove(cluster);
        }

        private static void closeAll() {
            List<PgCluster> open;
            synchronized (Cleanup.class) {
                open = List.copyOf(OPEN);
            }
            for (PgCluster cluster : open) {
                try {
                    cluster.close();
                } catch (RuntimeException e) {
                    System.err.println("[testkit] could not remove " + cluster + ": " + e.getMessage());
                }
            }
        }
    }

    static String readTail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
