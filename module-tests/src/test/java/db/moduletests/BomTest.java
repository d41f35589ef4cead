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

/**
 * db-bom names exactly the library modules (those that opt into publishing with
 * {@code <switchboard.publish.skip>false}), at the reactor's version.
 */
class BomTest {
    private static final String PUBLISHED = "<switchboard.publish.skip>false</switchboard.publish.skip>";
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

        Set<String> expected = new TreeSet<>();
        for (String module : all(parent, "<module>([^<]+)</module>")) {
            if (read(ROOT.resolve(module).resolve("pom.xml")).contains(PUBLISHED)) {
                expected.add(module);
            }
        }
        Set<String> listed = new TreeSet<>(all(bom, "<artifactId>(db-[^<]+)</artifactId>"));
        listed.remove("db-bom");
        assertThat(listed).as("db-bom/pom.xml lists every published library module of the reactor"
                + " (add a new one there when its pom sets " + PUBLISHED + ")").isEqualTo(expected);

        assertThat(versionOf(bom, "db-bom")).isEqualTo(version);
        assertThat(all(bom, "<version>([^<]+)</version>")).allMatch(version::equals);
        assertThat(bom).doesNotContain("<parent>");
    }
}
