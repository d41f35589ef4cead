package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.DbConfig;
import db.api.spi.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's configuration table is the complete and exact list, both ways: every key declared by db.api
 * and by the modules on the module path (through ConfigKeySource) has a row with its property and
 * environment names, and every row names a declared key with that environment name.
 */
class ConfigKeysDocumentedTest {

    /** A row of the configuration table: {@code | `db.key` | `DB_KEY` | default | meaning |}. */
    private static final Pattern KEY_ROW = Pattern.compile("^\\| `(db\\.[^`]+)` \\| `([A-Z][A-Z0-9_]*)` \\|");
    /** Fewer rows than this means the table moved or changed shape, not that the keys went away. */
    private static final int MIN_ROWS = 20;

    @Test
    void everyDeclaredKeyHasAReadmeRowAndEveryRowADeclaredKey() throws Exception {
        Map<String, String> rows = readmeRows();
        assertThat(rows).as("configuration rows found in README.md").hasSizeGreaterThanOrEqualTo(MIN_ROWS);
        Map<String, String> declared = new LinkedHashMap<>();
        for (ConfigKey<?> key : declaredKeys()) {
            if (!key.name().startsWith("db.test.")) { // this test module's own keys
                declared.put(key.name(), key.envName());
            }
        }
        assertThat(rows).as("README rows (property -> environment name) against the declared keys")
                .containsExactlyInAnyOrderEntriesOf(declared);
    }

    @Test
    void theKeysComeFromTheApiAndFromTheModulesOnTheModulePath() {
        assertThat(declaredKeys()).extracting(ConfigKey::name)
                .contains("db.url", "db.tracing.query-text", "db.test.record");
    }

    private static List<ConfigKey<?>> declaredKeys() {
        return DbConfig.builder().url("postgresql://localhost/app").build().declaredKeys();
    }

    /** Property name to environment name, for every configuration row of README.md, in order. */
    private static Map<String, String> readmeRows() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            Matcher m = KEY_ROW.matcher(line);
            if (m.find()) {
                String previous = rows.put(m.group(1), m.group(2));
                assertThat(previous).as("a second README row for " + m.group(1)).isNull();
            }
        }
        return rows;
    }
}
