package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** db-bom names every module an application may depend on, at the reactor's version. */
class BomTest {
    /** Modules that are never an application's dependency: tests, the example and benchmarks. */
    private static final Set<String> NOT_FOR_APPLICATIONS = Set.of("module-tests", "db-example", "db-benchmarks",
            "db-benchmarks-otel-jdbc", "db-benchmarks-support", "db-fixture-provider", "db-bom", "db-scale-tests",
            "db-fault-tests");
    private static final Path ROOT = Path.of("..");

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static List<String> all(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The project's own version: the first {@code <version>} after the parent pom's artifactId. */
    private static String versionOf(String pom, String artifactId) {
        Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(m.find()).as("version of %s", artifactId).isTrue();
        return m.group(1);
    }

    @Test
    void theBomListsEveryApplicationModuleAtTheReactorVersion() throws IOException {
        String parent = read(ROOT.resolve("pom.xml"));
        String bom = read(ROOT.resolve("db-bom").resolve("pom.xml"));
        String version = versionOf(parent, "switchboard-parent");

        Set<String> expected = new TreeSet<>(all(parent, "<module>([^<]+)</module>"));
        expected.removeAll(NOT_FOR_APPLICATIONS);
        Set<String> listed = new TreeSet<>(all(bom, "<artifactId>(db-[^<]+)</artifactId>"));
        listed.remove("db-bom");
        assertThat(listed).as("db-bom/pom.xml lists every application module of the reactor (add a new one there,"
                + " or to NOT_FOR_APPLICATIONS here when applications never depend on it)").isEqualTo(expected);

        assertThat(versionOf(bom, "db-bom")).isEqualTo(version);
        assertThat(all(bom, "<version>([^<]+)</version>")).allMatch(version::equals);
        assertThat(bom).doesNotContain("<parent>");
    }
}
