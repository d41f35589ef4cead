package db.moduletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.ConfigException;
import db.api.DataAccessException;
import db.api.Database;
import db.api.DbConfig;
import db.api.DuplicateKeyException;
import db.api.IntegrityViolationException;
import db.testkit.TestDatabase;
import db.testkit.TestSchema;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Swapping implementations is a change of module set, not of code: the same code opens databases in
 * module layers built from different provider modules and gets different providers.
 */
class LayerSwapTest {
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().createSchema("layers");
        schema.execute("create table items (id int primary key, name text not null)");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Test
    void noSessionProviderSaysWhichModuleToAdd() {
        ModuleLayer layer = Layers.of(List.of());
        assertThatThrownBy(() -> Database.open(config().build(), layer))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("No SessionProvider found")
                .hasMessageContaining("db-pool-c3p0")
                .hasMessageContaining("db.pool.c3p0");
    }

    @Test
    void withoutAnErrorMapperTheCoreFallbackStillMapsBySqlStateClass() {
        ModuleLayer layer = Layers.of(modules("db-pool-c3p0"));
        try (Database db = Database.open(config().build(), layer)) {
            assertThat(db.providers().sessionProvider()).isEqualTo("c3p0");
            assertThat(db.providers().errorMappers()).containsExactly("sqlstate-class");
            assertThat(db.providers().instrumenters()).isEmpty();
            DataAccessException e = insertTwice(db, 1);
            // The generic mapper knows the SQLSTATE but reads no server fields: no constraint name.
            assertThat(e).isInstanceOf(IntegrityViolationException.class);
            assertThat(e.sqlState()).isEqualTo("23505");
            assertThat(e.constraint()).isEmpty();
        }
    }

    @Test
    void withThePostgresErrorMapperDuplicatesBecomeDuplicateKeyExceptions() {
        ModuleLayer layer = Layers.of(modules("db-pool-c3p0", "db-errors-postgres"));
        try (Database db = Database.open(config().build(), layer)) {
            assertThat(db.providers().errorMappers()).containsExactly("postgres", "sqlstate-class");
            DataAccessException e = insertTwice(db, 2);
            assertThat(e).isInstanceOf(DuplicateKeyException.class);
            assertThat(e.constraint()).contains("items_pkey");
        }
    }

    @Test
    void withTheTracingModuleItsInstrumenterIsUsed() {
        ModuleLayer layer = Layers.of(modules("db-pool-c3p0", "db-tracing-otel"));
        try (Database db = Database.open(config().build(), layer)) {
            assertThat(db.providers().instrumenters()).containsExactly("opentelemetry");
            assertThat(db.providers().errorMappers()).containsExactly("sqlstate-class");
        }
    }

    @Test
    void twoSessionProvidersWithoutAChoiceAreListed() {
        ModuleLayer layer = Layers.of(withFixture(modules("db-pool-c3p0")));
        assertThatThrownBy(() -> Database.open(config().build(), layer))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Several SessionProviders found")
                .hasMessageContaining("c3p0 (module db.pool.c3p0)")
                .hasMessageContaining("direct (module db.fixture.provider)")
                .hasMessageContaining("db.session-provider")
                .hasMessageContaining("DB_SESSION_PROVIDER");
    }

    @Test
    void thePropertyChoosesBetweenTwoSessionProviders() {
        ModuleLayer layer = Layers.of(withFixture(modules("db-pool-c3p0")));
        for (String name : List.of("direct", "c3p0")) {
            try (Database db = Database.open(config().sessionProvider(name).build(), layer)) {
                assertThat(db.providers().sessionProvider()).isEqualTo(name);
                try (var session = db.openSession()) {
                    assertThat(session.queryOne("select 1", row -> row.getInt(1))).contains(1);
                }
            }
        }
    }

    @Test
    void anUnknownChoiceListsWhatWasFound() {
        ModuleLayer layer = Layers.of(modules("db-pool-c3p0"));
        assertThatThrownBy(() -> Database.open(config().sessionProvider("hikari").build(), layer))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db.session-provider=hikari")
                .hasMessageContaining("c3p0");
    }

    private static DataAccessException insertTwice(Database db, int id) {
        try (var session = db.openSession()) {
            session.execute("insert into items (id, name) values (?, ?)", id, "first");
            try {
                session.execute("insert into items (id, name) values (?, ?)", id, "second");
            } catch (DataAccessException e) {
                return e;
            }
        }
        throw new AssertionError("the second insert did not fail");
    }

    private static DbConfig.Builder config() {
        return Fixtures.configChoosingNoProvider(schema);
    }

    /** The module-path entries (jar or classes folder) of the named Maven modules. */
    static List<Path> modules(String... artifactIds) {
        String modulePath = System.getProperty("jdk.module.path");
        assertThat(modulePath).as("these tests run on the module path").isNotNull();
        List<Path> entries = Arrays.stream(modulePath.split(File.pathSeparator)).map(Path::of)
                .collect(java.util.stream.Collectors.toList());
        List<Path> chosen = new ArrayList<>();
        for (String artifactId : artifactIds) {
            Path found = entries.stream()
                    .filter(p -> p.toString().contains(File.separator + artifactId + File.separator)
                            || p.getFileName().toString().startsWith(artifactId + "-"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(artifactId + " is not on the module path: " + modulePath));
            chosen.add(found);
        }
        return chosen;
    }

    private static List<Path> withFixture(List<Path> paths) {
        Path fixture = Path.of(System.getProperty("switchboard.fixture.path", "../db-fixture-provider/target/classes"));
        assertThat(Files.isDirectory(fixture) || Files.isRegularFile(fixture))
                .as("fixture provider built at " + fixture).isTrue();
        List<Path> all = new ArrayList<>(paths);
        all.add(fixture);
        return all;
    }
}
