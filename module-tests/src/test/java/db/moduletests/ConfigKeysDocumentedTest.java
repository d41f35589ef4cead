package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.DbConfig;
import db.api.spi.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README.md's configuration table is the complete list: every key declared by db.api and by the modules
 * on the module path (through ConfigKeySource) has a row with its property and environment names.
 */
class ConfigKeysDocumentedTest {

    @Test
    void everyDeclaredKeyHasAReadmeRow() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        List<ConfigKey<?>> keys = DbConfig.builder().url("postgresql://localhost/app").build().declaredKeys();
        assertThat(keys).extracting(ConfigKey::name).contains("db.url", "db.tracing.query-text", "db.test.record");
        for (ConfigKey<?> key : keys) {
            if (key.name().startsWith("db.test.")) {
                continue; // this test module's own keys
            }
            String row = "| `" + key.name() + "` | `" + key.envName() + "` |";
            assertThat(readme).as("README row for " + key.name()).anyMatch(line -> line.startsWith(row));
        }
    }
}
