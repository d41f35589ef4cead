package db.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster run by the machine's own PostgreSQL binaries ({@code initdb}, {@code pg_ctl}), as the
 * {@code postgres} OS user when this process is root.
 */
final class LocalBackend implements PgCluster.Backend {

    private static final String PREFIX = "switchboard-pg-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private final Path bindir;
    private final Path base;
    private final Path data;
    private final Path log;
    private final boolean asPostgresUser;
    private final Map<String, String> settings;
    private volatile int port;

    private LocalBackend(Path bindir, Path base, boolean asPostgresUser, Map<String, String> settings) {
        this.bindir = bindir;
        this.base = base;
        this.data = base.resolve("data");
        this.log = base.resolve("server.log");
        this.asPostgresUser = asPostgresUser;
        this.settings = settings;
    }

    /** A new, initialized (not started) cluster, or {@code null} when the binaries are not there. */
    static LocalBackend create(Map<String, String> settings) {
        Optional<Path> bindir = serverBinaries();
        if (bindir.isEmpty()) {
            return null;
        }
        removeOrphans();
        boolean root = isRoot();
        Path base = newBase(root, "a throwaway cluster");
        LocalBackend backend = new LocalBackend(bindir.get(), base, root, settings);
        try {
            backend.initdb();
        } catch (RuntimeException e) {
            backend.deleteBase();
            throw e;
        }
        return backend;
    }

    /**
     * A streaming standby of {@code primary}, made with {@code pg_basebackup -R} (a base backup plus
     * {@code standby.signal} and {@code primary_conninfo}), on its own free port; not started yet.
     */
    static LocalBackend createStandby(LocalBackend primary) {
        boolean root = isRoot();
        Path base = newBase(root, "a standby");
        LocalBackend standby = new LocalBackend(primary.bindir, base, root, primary.settings);
        try {
            standby.run(List.of(standby.bin("pg_basebackup"), "-h", "127.0.0.1", "-p", Integer.toString(primary.port),
                    "-U", PgCluster.USER, "-D", standby.data.toString(), "-R", "-X", "stream", "-c", "fast",
                    "--no-sync"), "pg_basebackup");
            standby.port = PgCluster.freePort();
            standby.writeConfig();
        } catch (RuntimeException e) {
            standby.deleteBase();
            throw e;
        }
        return standby;
    }

    /**
     * A new temporary directory for one cluster ({@code what} names it in the error), marked with this
     * process's pid so that {@link #removeOrphans()} leaves it alone while we live, and owned by the
     * {@code postgres} OS user when we are root (initdb and the server refuse to run as root).
     */
    private static Path newBase(boolean root, String what) {
        try {
            Path base = Files.createTempDirectory(PREFIX);
            Files.writeString(base.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
            if (root) {
                UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(PgCluster.USER);
                Files.setOwner(base, postgres);
            }
            return base;
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for " + what + ": " + e.getMessage(), e);
        }
    }

    /** {@code pg_ctl promote}: the standby leaves recovery and accepts writes; waits until it does. */
    @Override
    public void promote() {
        run(List.of(bin("pg_ctl"), "-D", data.toString(), "-w", "-t", "60", "promote"), "pg_ctl promote");
    }

    /** The directory of the server binaries ({@code PG_BINDIR}, else {@code pg_config --bindir}), if found. */
    static Optional<Path> serverBinaries() {
        String env = System.getenv("PG_BINDIR");
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                candidates.add(Path.of(out));
            }
        } catch (IOException e) {
            // no pg_config on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return candidates.stream()
                .filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
                .findFirst();
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private void initdb() {
        run(List.of(bin("initdb"), "-D", data.toString(), "-U", PgCluster.USER, "-A", "trust", "-E", "UTF8",
                "--locale=C", "--no-sync"), "initdb");
        port = PgCluster.freePort();
        writeConfig();
    }

    private void writeConfig() {
        StringBuilder conf = new StringBuilder("\n# throwaway cluster of the Switchboard test kit\n")
                .append("port = ").append(port).append('\n')
                .append("listen_addresses = '127.0.0.1'\n")
                // No Unix socket: nothing to collide with the system cluster's /var/run/postgresql.
                .append("unix_socket_directories = ''\n");
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.writeString(data.resolve("postgresql.auto.conf"), conf.toString(), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the cluster's configuration: " + e.getMessage(), e);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String dataDirectory() {
        return data.toString();
    }

    @Override
    public void start() {
        for (int attempt = 1; ; attempt++) {
            try {
                run(List.of(bin("pg_ctl"), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "start"),
                        "pg_ctl start");
                return;
            } catch (IllegalStateException e) {
                // Another process took the port between choosing and binding: choose again.
                if (attempt < 3 && logTail().contains("could not bind")) {
                    port = PgCluster.freePort();
                    writeConfig();
                    continue;
                }
                throw e;
            }
        }
    }

    @Override
    public void stop(String mode) {
        run(List.of(bin("pg_ctl"), "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop"), "pg_ctl stop -m " + mode);
    }

    @Override
    public void crash() {
        Optional<ProcessHandle> postmaster = postmaster(data);
        if (postmaster.isEmpty()) {
            throw new IllegalStateException("crash(): the cluster is not running");
        }
        killTree(postmaster.get());
    }

    /** SIGKILL of a postmaster, then of its children; waits (bounded) until they are gone. */
    static void killTree(ProcessHandle postmaster) {
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly(); // first, so that it cannot start replacements
        children.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle p : concat(postmaster, children)) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                PgCluster.sleep(10);
            }
        }
    }

    private static List<ProcessHandle> concat(ProcessHandle first, List<ProcessHandle> rest) {
        List<ProcessHandle> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    @Override
    public boolean running() {
        return postmaster(data).isPresent();
    }

    /** The live postmaster of a data directory, from its {@code postmaster.pid}. */
    static Optional<ProcessHandle> postmaster(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String logTail() {
        return PgCluster.readTail(log, 40);
    }

    @Override
    public void destroy() {
        try {
            if (running()) {
                try {
                    stop("immediate");
                } catch (RuntimeException e) {
                    postmaster(data).ifPresent(LocalBackend::killTree);
                }
            }
        } finally {
            deleteBase();
        }
    }

    private void deleteBase() {
        deleteRecursively(base);
    }

    /** Removes a directory tree, best effort; says so on stderr when it stays. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort; reported below if the directory stays
                }
            });
        } catch (IOException e) {
            // reported below
        }
        if (Files.exists(dir)) {
            System.err.println("[testkit] could not remove " + dir);
        }
    }

    @Override
    public String describe() {
        return "local " + bindir + (asPostgresUser ? " as OS user postgres" : "") + ", " + data;
    }

    private String bin(String name) {
        return bindir.resolve(name).toString();
    }

    private void run(List<String> command, String what) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", PgCluster.USER, "--"));
        }
        full.addAll(command);
        Process p;
        try {
            p = new ProcessBuilder(full).directory(base.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(what + " could not run: " + e.getMessage(), e);
        }
        String out;
        try (InputStream in = p.getInputStream()) {
            // pg_ctl start hands the server log to -l, so the output is small and ends with the command.
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
        } catch (IOException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException(what + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "): " + out.trim()
                    + "\nserver log:\n" + logTail());
        }
    }

    /** Clusters whose JVM died without its shutdown hook (kill -9): stop them and remove their directory. */
    private static void removeOrphans() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve("owner.pid");
                try {
                    if (!Files.exists(owner)) {
                        FileTime modified = Files.getLastModifiedTime(dir);
                        if (modified.toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(10)))) {
                            continue; // being created right now
                        }
                    } else {
                        long pid = Long.parseLong(Files.readString(owner).trim());
                        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                            continue;
                        }
                    }
                    postmaster(dir.resolve("data")).ifPresent(LocalBackend::killTree);
                    deleteRecursively(dir);
                    System.out.println("[testkit] removed a throwaway cluster left behind: " + dir);
                } catch (IOException | RuntimeException e) {
                    // not ours to judge; leave it
                }
            }
        } catch (IOException e) {
            // no temp directory listing: nothing to clean
        }
    }
}
