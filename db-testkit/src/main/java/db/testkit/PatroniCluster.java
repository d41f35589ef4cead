package db.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real high-availability cluster for tests: three (or more) PostgreSQL members managed by Patroni
 * (Debian's {@code patroni} package), with Patroni's built-in Raft as the consensus store (Debian's
 * {@code python3-pysyncobj}; Debian's Patroni 3.0.2 has no etcd client). Everything listens on free ports of
 * 127.0.0.1: each member's PostgreSQL, its REST API and its Raft port. Patroni runs with
 * {@code synchronous_mode: true} (an acknowledged commit is on a synchronous standby, so a failover loses
 * none) and short timings, {@link #TTL} {@value #TTL_SECONDS} s, {@code loop_wait} 1 s, {@code retry_timeout}
 * 4 s, so that a failover takes seconds; {@code use_pg_rewind} lets a killed leader rejoin as a replica.
 *
 * <p>The members run as the {@code postgres} OS user when this process is root (PostgreSQL refuses root), as
 * children of this JVM; {@link #close()} (or the JVM's exit) kills them and removes their directory.
 */
public final class PatroniCluster implements AutoCloseable {

    /** Patroni's leader-lock time to live, in seconds: a dead leader is replaced within about this long. */
    public static final int TTL_SECONDS = 10;
    /** Patroni's leader-lock time to live. */
    public static final Duration TTL = Duration.ofSeconds(TTL_SECONDS);

    private static final String SCOPE = "switchboard";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Path PATRONI = Path.of("/usr/bin/patroni");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private static final Map<PatroniCluster, Boolean> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN.keySet()).forEach(PatroniCluster::close),
                "patroni-cleanup"));
    }

    /** One member: its name in Patroni, its PostgreSQL port and its REST API port, all on 127.0.0.1. */
    public record Member(String name, int port, int restPort) {
        /** {@code 127.0.0.1:PORT} of its PostgreSQL. */
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    private final Path base;
    private final List<Member> members;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final boolean asPostgresUser;

    private PatroniCluster(Path base, List<Member> members, boolean asPostgresUser) {
        this.base = base;
        this.members = List.copyOf(members);
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Starts {@code size} members (at least 3: Raft needs a majority to survive one loss), waits until one leads
     * and the others stream from it with a synchronous standby among them, creates the database
     * {@link PgCluster#DATABASE} and waits until every member has it.
     *
     * @throws IllegalStateException when Patroni is not installed (with how to install it) or does not come up
     */
    public static PatroniCluster start(int size) {
        if (size < 3) {
            throw new IllegalArgumentException("a Patroni cluster on Raft needs at least 3 members, not " + size);
        }
        requireInstalled();
        boolean root = LocalBackend.isRoot();
        Path base = directory(root);
        List<Member> members = new ArrayList<>();
        List<Integer> raftPorts = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(new Member("m" + i, PgCluster.freePort(), PgCluster.freePort()));
            raftPorts.add(PgCluster.freePort());
        }
        PatroniCluster cluster = new PatroniCluster(base, members, root);
        OPEN.put(cluster, Boolean.TRUE);
        try {
            for (int i = 0; i < size; i++) {
                cluster.writeConfig(members.get(i), raftPorts, i);
            }
            members.forEach(cluster::launch);
            cluster.awaitHealthy(START_TIMEOUT);
            cluster.createTestDatabase();
            cluster.awaitTestDatabaseEverywhere(START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            String logs = cluster.logTails();
            cluster.close();
            throw new IllegalStateException("the Patroni cluster did not come up: " + e.getMessage() + "\n" + logs, e);
        }
        System.out.println("[testkit] " + cluster);
        return cluster;
    }

    private static void requireInstalled() {
        if (!Files.isExecutable(PATRONI) || !Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/pysyncobj"))) {
            throw new IllegalStateException("Patroni with Raft is not installed: these tests run Switchboard against "
                    + "a real Patroni cluster. Install Debian's packages (apt-get update && apt-get install -y patroni "
                    + "python3-pysyncobj haproxy; .ci/run does this).");
        }
    }

    private static Path directory(boolean root) {
        try {
            Path dir = Files.createTempDirectory("switchboard-patroni-");
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(PgCluster.USER);
                Files.setOwner(dir, postgres);
            }
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for Patroni: " + e.getMessage(), e);
        }
    }

    private void writeConfig(Member member, List<Integer> raftPorts, int index) {
        String partners = raftPorts.stream().filter(p -> !p.equals(raftPorts.get(index)))
                .map(p -> "127.0.0.1:" + p).collect(Collectors.joining(", ", "[", "]"));
        Path dir = base.resolve(member.name());
        String yaml = "scope: " + SCOPE + "\n"
                + "name: " + member.name() + "\n"
                + "log:\n  level: INFO\n"
                + "restapi:\n"
                + "  listen: 127.0.0.1:" + member.restPort() + "\n"
                + "  connect_address: 127.0.0.1:" + member.restPort() + "\n"
                + "raft:\n"
                + "  data_dir: " + dir.resolve("raft") + "\n"
                + "  self_addr: 127.0.0.1:" + raftPorts.get(index) + "\n"
                + "  partner_addrs: " + partners + "\n"
                + "bootstrap:\n"
                + "  dcs:\n"
                + "    ttl: " + TTL_SECONDS + "\n"
                // Patroni requires ttl >= loop_wait + 2 * retry_timeout.
                + "    loop_wait: 1\n"
                + "    retry_timeout: 4\n"
                + "    maximum_lag_on_failover: 1048576\n"
                + "    synchronous_mode: true\n"
                + "    postgresql:\n"
                + "      use_pg_rewind: true\n"
                + "      parameters:\n"
                // pg_rewind needs hint bits in the WAL (or data checksums).
                + "        wal_log_hints: 'on'\n"
                // Throwaway data on a shared disk: a killed process loses nothing without fsync.
                + "        fsync: 'off'\n"
                + "        max_connections: 100\n"
                + "        shared_buffers: 32MB\n"
                + "  initdb:\n    - encoding: UTF8\n    - locale: C\n"
                + "  pg_hba:\n"
                + "    - host all all 127.0.0.1/32 trust\n"
                + "    - host replication all 127.0.0.1/32 trust\n"
                + "postgresql:\n"
                + "  listen: 127.0.0.1:" + member.port() + "\n"
                + "  connect_address: 127.0.0.1:" + member.port() + "\n"
                + "  data_dir: " + dir.resolve("data") + "\n"
                + "  bin_dir: " + bindir() + "\n"
                + "  pgpass: " + dir.resolve("pgpass") + "\n"
                + "  authentication:\n"
                + "    superuser:\n      username: " + PgCluster.USER + "\n"
                + "    replication:\n      username: " + PgCluster.USER + "\n"
                + "    rewind:\n      username: " + PgCluster.USER + "\n"
                + "  parameters:\n"
                // No Unix socket: nothing to collide with the system cluster's /var/run/postgresql.
                + "    unix_socket_directories: ''\n";
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("patroni.yml"), yaml);
            if (asPostgresUser) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(PgCluster.USER);
                Files.setOwner(dir, postgres);
                Files.setOwner(dir.resolve("patroni.yml"), postgres);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + member.name() + "'s configuration: " + e.getMessage(), e);
        }
    }

    private static String bindir() {
        return LocalBackend.serverBinaries().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL server binaries (PG_BINDIR or `pg_config --bindir`) for Patroni to run")).toString();
    }

    private void launch(Member member) {
        Path dir = base.resolve(member.name());
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            // setpriv execs Patroni itself, so the child process is Patroni.
            command.addAll(List.of("setpriv", "--reuid=" + PgCluster.USER, "--regid=" + PgCluster.USER,
                    "--init-groups", "--"));
        }
        command.addAll(List.of(PATRONI.toString(), dir.resolve("patroni.yml").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("patroni.log").toFile()));
        // Debian's Patroni runs on the system Python; a pyenv or virtualenv of the caller must not leak in.
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("PYTHON") || k.startsWith("PYENV") || k.startsWith("PG")
                || k.equals("VIRTUAL_ENV"));
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", dir.toString());
        try {
            processes.put(member.name(), builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("Patroni could not run for " + member.name() + ": " + e.getMessage(), e);
        }
    }

    /** The members, in the order of their names. */
    public List<Member> members() {
        return members;
    }

    /** The member Patroni's REST API reports as the leader now ({@code GET /primary} answers 200), if any. */
    public Optional<Member> leader() {
        return members.stream().filter(m -> status(m, "/primary") == 200).findFirst();
    }

    /** The running replicas now ({@code GET /replica} answers 200). */
    public List<Member> replicas() {
        return members.stream().filter(m -> status(m, "/replica") == 200).toList();
    }

    /** Whether {@code member} is the leader's synchronous standby now ({@code GET /sync} answers 200). */
    public boolean isSynchronousStandby(Member member) {
        return status(member, "/sync") == 200;
    }

    /** {@code jdbc:postgresql://} every member's address {@code /test}, in member order. */
    public String multiHostUrl() {
        return members.stream().map(Member::address)
                .collect(Collectors.joining(",", "jdbc:postgresql://", "/" + PgCluster.DATABASE));
    }

    /** A direct connection to one member's database {@link PgCluster#DATABASE}. */
    public Connection connect(Member member) throws SQLException {
        return connect(member, PgCluster.DATABASE);
    }

    private static Connection connect(Member member, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", PgCluster.USER);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + member.address() + "/" + database, props);
    }

    /**
     * Kills a member hard, as a machine loss would: SIGKILL of its Patroni, then of its PostgreSQL server and
     * every backend, with no chance to hand over the leader lock.
     */
    public void kill(Member member) {
        Process patroni = processes.remove(member.name());
        if (patroni != null) {
            patroni.destroyForcibly();
            await(patroni);
        }
        LocalBackend.postmaster(base.resolve(member.name()).resolve("data")).ifPresent(LocalBackend::killTree);
    }

    /** Starts a killed member's Patroni again on its own data: it rejoins as a replica ({@code pg_rewind}). */
    public void restart(Member member) {
        if (processes.containsKey(member.name())) {
            throw new IllegalStateException(member.name() + " is running");
        }
        launch(member);
    }

    /**
     * A planned switchover through the leader's REST API ({@code POST /switchover}): Patroni stops the leader
     * cleanly, promotes {@code candidate} and makes the old leader its replica. Returns when Patroni answers.
     */
    public void switchover(Member leader, Member candidate) {
        String body = "{\"leader\": \"" + leader.name() + "\", \"candidate\": \"" + candidate.name() + "\"}";
        HttpRequest request = HttpRequest.newBuilder(rest(leader, "/switchover")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("switchover " + leader.name() + " -> " + candidate.name()
                        + " refused (" + response.statusCode() + "): " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("switchover request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Waits (bounded) until the cluster is healthy: one leader, every running member a streaming replica of it,
     * and one of them its synchronous standby. Returns how long that took.
     */
    public Duration awaitHealthy(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            PgCluster.sleep(100);
        }
        throw new IllegalStateException("the Patroni cluster was not healthy within " + timeout.toSeconds() + " s: "
                + describeMembers());
    }

    private boolean healthy() {
        Optional<Member> leader = leader();
        if (leader.isEmpty()) {
            return false;
        }
        List<Member> running = members.stream().filter(m -> processes.containsKey(m.name()))
                .filter(m -> !m.equals(leader.get())).toList();
        return running.stream().allMatch(m -> status(m, "/replica") == 200)
                && running.stream().anyMatch(m -> status(m, "/sync") == 200);
    }

    private String describeMembers() {
        return members.stream().map(m -> m.name() + "(" + m.address() + ") primary=" + status(m, "/primary")
                + " replica=" + status(m, "/replica") + " sync=" + status(m, "/sync")
                + (processes.containsKey(m.name()) ? "" : " killed")).collect(Collectors.joining("; "));
    }

    private void createTestDatabase() {
        Member leader = leader().orElseThrow();
        try (Connection c = connect(leader, "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + PgCluster.DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + PgCluster.DATABASE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits (bounded) until every member has replayed the {@code CREATE DATABASE}: a standby that has not yet
     * answers 3D000 (database does not exist), and a client whose multi-host URL tries it last takes that answer
     * for the cluster's, a refusal no retry can fix.
     */
    private void awaitTestDatabaseEverywhere(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Member member : members) {
            while (true) {
                try {
                    connect(member).close();
                    break;
                } catch (SQLException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw new IllegalStateException("database " + PgCluster.DATABASE + " did not reach "
                                + member.name() + " within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
                    }
                    PgCluster.sleep(100);
                }
            }
        }
    }

    /** The HTTP status of a REST API endpoint of {@code member}, or 0 when it does not answer. */
    int status(Member member, String path) {
        HttpRequest request = HttpRequest.newBuilder(rest(member, path)).timeout(Duration.ofSeconds(2))
                .method("GET", HttpRequest.BodyPublishers.noBody()).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static URI rest(Member member, String path) {
        return URI.create("http://127.0.0.1:" + member.restPort() + path);
    }

    /** The last lines of every member's Patroni log, for failure messages. */
    public String logTails() {
        return members.stream().map(m -> "--- " + m.name() + " (Patroni log) ---\n"
                + PgCluster.readTail(base.resolve(m.name()).resolve("patroni.log"), 15)).collect(Collectors.joining("\n"));
    }

    private static void await(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every member and removes the cluster's directory. Idempotent. */
    @Override
    public void close() {
        if (OPEN.remove(this) == null) {
            return;
        }
        members.forEach(this::kill);
        LocalBackend.deleteRecursively(base);
    }

    @Override
    public String toString() {
        return "PatroniCluster[" + members.stream().map(m -> m.name() + "=" + m.address() + " rest:" + m.restPort())
                .collect(Collectors.joining(", ")) + ", ttl " + TTL_SECONDS + " s]";
    }
}
