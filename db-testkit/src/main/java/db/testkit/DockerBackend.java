package db.testkit;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A cluster in a Docker container (Testcontainers), used only when no local PostgreSQL binaries are found
 * and a Docker engine answers. The host port is fixed on 127.0.0.1 so that it survives a stop and start
 * of the container; faults are signals to the postmaster (PID 1): SIGINT = fast shutdown, SIGQUIT =
 * immediate, SIGKILL = crash.
 */
final class DockerBackend implements PgCluster.Backend {

    private static final String IMAGE = "postgres:15-alpine";

    private final GenericContainer<?> container;
    private final int port;
    private boolean started;

    private DockerBackend(GenericContainer<?> container, int port) {
        this.container = container;
        this.port = port;
    }

    static DockerBackend createIfDockerAnswers(Map<String, String> settings) {
        if ("false".equalsIgnoreCase(System.getenv("DB_TEST_DOCKER"))) {
            return null;
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
        int port = PgCluster.freePort();
        List<String> command = new ArrayList<>(List.of("postgres"));
        settings.forEach((k, v) -> {
            command.add("-c");
            command.add(k + "=" + v.replace("'", ""));
        });
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withCommand(command.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.setPortBindings(List.of("127.0.0.1:" + port + ":5432"));
        return new DockerBackend(container, port);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String dataDirectory() {
        return "/var/lib/postgresql/data (in container)";
    }

    @Override
    public void start() {
        if (!started) {
            started = true;
            container.start(); // removed by Testcontainers' Ryuk when the JVM exits
            return;
        }
        client().startContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void stop(String mode) {
        signal("fast".equals(mode) ? "SIGINT" : "SIGQUIT");
    }

    @Override
    public void crash() {
        signal("SIGKILL");
    }

    private void signal(String signal) {
        client().killContainerCmd(container.getContainerId()).withSignal(signal).exec();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (running()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("container did not stop within 60 s after " + signal);
            }
            PgCluster.sleep(50);
        }
    }

    @Override
    public boolean running() {
        Boolean running = client().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning();
        return Boolean.TRUE.equals(running);
    }

    private DockerClient client() {
        return container.getDockerClient();
    }

    @Override
    public String logTail() {
        String logs = container.getLogs();
        String[] lines = logs.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    @Override
    public void destroy() {
        container.stop();
    }

    @Override
    public String describe() {
        return "Testcontainers " + IMAGE;
    }
}
