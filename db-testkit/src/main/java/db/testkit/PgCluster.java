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
import java.util.Objects;
import java.util.Optional;
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
 *
 * <p>TLS: {@link Builder#tls(TlsFiles, TlsFiles.ServerName)} makes a cluster that accepts TLS only, with a
 * certificate role and a SCRAM role beside the superuser (see there); {@link #connect()} then verifies the
 * server against the test CA. The test owns the {@link TlsFiles} and closes them after the cluster.
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
    private final Tls tls;
    private volatile boolean closed;

    private PgCluster(Backend backend, Map<String, String> settings, Tls tls) {
        this.backend = backend;
        this.host = "127.0.0.1";
        this.settings = settings;
        this.tls = tls;
    }

    /**
     * How a TLS cluster is set up: the files it was made from and the server certificate it presents.
     *
     * @param files  the certificates and keys (the server's are copied into the cluster's directory)
     * @param server which server certificate the cluster presents
     */
    public record Tls(TlsFiles files, TlsFiles.ServerName server) {
        /** Checks that both are given. */
        public Tls {
            Objects.requireNonNull(files, "files");
            Objects.requireNonNull(server, "server");
        }
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
        private Tls tls;

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

        /**
         * A TLS-only cluster (local binaries only) presenting the {@code server} certificate of {@code files}:
         * {@code ssl = on}, the test CA verifies client certificates, and {@code pg_hba.conf} is, for 127.0.0.1
         * only and in this order: {@code hostssl} trust for {@link #USER} (the test kit's own connections, made
         * with {@code sslmode=verify-ca}), {@code hostssl ... cert} for {@link TlsFiles#CERT_USER},
         * {@code hostssl ... scram-sha-256} for {@link TlsFiles#SCRAM_USER} (password
         * {@link TlsFiles#scramPassword()}), and {@code hostnossl all all reject}. Both roles are created.
         */
        public Builder tls(TlsFiles files, TlsFiles.ServerName server) {
            this.tls = new Tls(files, server);
            settings.put("ssl", "on");
            settings.put("ssl_cert_file", "'server.crt'");
            settings.put("ssl_key_file", "'server.key'");
            settings.put("ssl_ca_file", "'root.crt'");
            settings.put("password_encryption", "'scram-sha-256'");
            return this;
        }

        /** Creates, starts and waits until the cluster answers. */
        public PgCluster start() {
            Map<String, String> copy = Map.copyOf(settings);
            Backend backend = LocalBackend.create(copy, tls);
            if (backend == null && tls != null) {
                throw new IllegalStateException("TLS clusters need the local PostgreSQL binaries (initdb, pg_ctl): "
                        + "they were not found (neither in PG_BINDIR nor in `pg_config --bindir`). Install them "
                        + "(Debian: apt-get install postgresql) or set PG_BINDIR.");
            }
            if (backend == null) {
                backend = DockerBackend.createIfDockerAnswers(copy);
            }
            if (backend == null) {
                throw new IllegalStateException("No throwaway PostgreSQL cluster for this test: initdb and pg_ctl "
                        + "were not found (neither in PG_BINDIR nor in `pg_config --bindir`) and no Docker engine "
                        + "answers for Testcontainers. Install the PostgreSQL server binaries (Debian: "
                        + "apt-get install postgresql) or start a Docker engine.");
            }
            PgCluster cluster = new PgCluster(backend, copy, tls);
            Cleanup.register(cluster);
            try {
                backend.start();
                cluster.awaitReady();
                cluster.createTestDatabase();
                if (tls != null) {
                    cluster.createTlsRoles();
                }
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

    /** How this cluster does TLS, or empty for a plain cluster (trust for everyone on 127.0.0.1). */
    public Optional<Tls> tls() {
        return Optional.ofNullable(tls);
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
        if (tls != null) {
            // Explicit, so that a test's ~/.postgresql/root.crt cannot change how the admin verifies. A client
            // certificate pgjdbc finds there is harmless: the superuser's rule is trust.
            props.setProperty("sslmode", "verify-ca");
            props.setProperty("sslrootcert", tls.files().caCertificate().toString());
        }
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

    /**
     * A streaming standby of this cluster (local binaries only): {@code pg_basebackup -R} into a new
     * temporary directory, started on its own free port of 127.0.0.1 and answering read-only queries.
     * Close it like any cluster. Settings are the primary's.
     *
     * @throws IllegalStateException when this cluster runs in Docker (no standby support there)
     */
    public PgCluster startStandby() {
        if (!(backend instanceof LocalBackend local)) {
            throw new IllegalStateException("Standbys need the local PostgreSQL binaries (pg_basebackup, pg_ctl); "
                    + "this cluster runs in Docker. Install the PostgreSQL server binaries (Debian: apt-get install "
                    + "postgresql) or set PG_BINDIR.");
        }
        LocalBackend standbyBackend = LocalBackend.createStandby(local);
        PgCluster standby = new PgCluster(standbyBackend, settings, tls);
        Cleanup.register(standby);
        try {
            standbyBackend.start();
            standby.awaitReady();
        } catch (RuntimeException e) {
            standby.close();
            throw e;
        }
        System.out.println("[testkit] streaming standby of " + this + ": " + standby);
        return standby;
    }

    /** {@code pg_ctl promote}: a standby becomes a primary; returns once it accepts writes. */
    public void promote() {
        backend.promote();
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
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = connect("postgres")) {
                if (c.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
            }
            sleep(50);
        }
        throw new IllegalStateException("throwaway cluster on port " + port() + " did not answer within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : " (last attempt: " + last + ")")
                + "; server log:\n" + logTail(), last);
    }

    private void createTestDatabase() {
        try (Connection c = connect("postgres"); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    private void createTlsRoles() {
        try (Connection c = connect("postgres"); var s = c.createStatement()) {
            s.execute("CREATE ROLE " + TlsFiles.CERT_USER + " LOGIN");
            // A password cannot be a bind parameter in CREATE ROLE; it is random hex, so quoting is safe.
            s.execute("CREATE ROLE " + TlsFiles.SCRAM_USER + " LOGIN PASSWORD '" + tls.files().scramPassword() + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the TLS test roles: " + e.getMessage(), e);
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
        return "PgCluster[" + backend.describe() + ", 127.0.0.1:" + port()
                + (tls == null ? "" : ", TLS " + tls.server()) + "]";
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

        default void promote() {
            throw new IllegalStateException("promote() needs a standby made by startStandby()");
        }

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
