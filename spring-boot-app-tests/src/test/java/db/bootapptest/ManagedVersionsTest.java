package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

/**
 * The versions this application runs on are Boot 4.0.7's managed ones, not the newer ones Switchboard's own
 * build pins: read from the jar each class was actually loaded from, so the other tests prove what they
 * claim (Switchboard on Boot's OpenTelemetry, Log4j API, pgjdbc and HikariCP).
 */
final class ManagedVersionsTest {

    @Test
    void openTelemetryApiIsBootsManaged() throws Exception {
        assertThat(versionOfJarOf(OpenTelemetry.class)).isEqualTo("1.55.0");
    }

    @Test
    void log4jApiIsBootsManaged() throws Exception {
        assertThat(versionOfJarOf(LogManager.class)).isEqualTo("2.25.4");
    }

    @Test
    void pgjdbcIsBootsManaged() throws Exception {
        assertThat(versionOfJarOf(org.postgresql.Driver.class)).isEqualTo("42.7.11");
        assertThat(org.postgresql.util.DriverInfo.DRIVER_VERSION).isEqualTo("42.7.11");
    }

    @Test
    void hikariCpIsBootsManaged() throws Exception {
        assertThat(versionOfJarOf(HikariDataSource.class)).isEqualTo("7.0.2");
    }

    /** The jar's own manifest version (Implementation-Version, else the OSGi Bundle-Version), and its file name. */
    static String versionOfJarOf(Class<?> type) throws IOException, URISyntaxException {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(jar.getFileName().toString()).endsWith(".jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String version = manifest.getMainAttributes().getValue("Implementation-Version");
            if (version == null) {
                version = manifest.getMainAttributes().getValue("Bundle-Version");
            }
            assertThat(jar.getFileName().toString()).as("the file name agrees with the manifest").endsWith("-" + version + ".jar");
            return version;
        }
    }
}
