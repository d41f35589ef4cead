package db.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The Testcontainers route, taken only when a Docker engine answers. */
final class Containers {
    private Containers() {
    }

    static TestDatabase startIfDockerAnswers() {
        if (!dockerAnswers()) {
            return null;
        }
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
        container.start();
        // Stopped by Testcontainers' Ryuk when the JVM exits.
        return TestDatabase.of(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                "Testcontainers");
    }

    private static boolean dockerAnswers() {
        if ("false".equalsIgnoreCase(System.getenv("DB_TEST_DOCKER"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
