package db.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Surefire runs this module's tests patched into the named module db.api, on the module path. */
class ModulePathTest {

    @Test
    void testsRunInsideTheNamedModule() {
        assertThat(ModulePathTest.class.getModule().getName()).isEqualTo("db.api");
        System.out.println("[module path] db-api tests run inside module " + ModulePathTest.class.getModule().getName());
        assertThat(System.getProperty("jdk.module.path")).isNotBlank();
        Module api = Database.class.getModule();
        assertThat(api.getDescriptor().exports()).filteredOn(e -> !e.isQualified()).extracting(e -> e.source())
                .containsExactlyInAnyOrder("db.api", "db.api.spi");
        // the contract names no engine: nothing exported or opened to another module only
        assertThat(api.getDescriptor().exports()).filteredOn(e -> e.isQualified()).isEmpty();
        assertThat(api.getDescriptor().opens()).isEmpty();
        // the contract: java.sql and nothing that is an implementation choice (no logging API, no jdk.net, no JMX)
        assertThat(api.getDescriptor().requires()).extracting(r -> r.name())
                .containsExactlyInAnyOrder("java.base", "java.sql");
        assertThat(api.getDescriptor().uses()).containsExactlyInAnyOrder("db.api.spi.DatabaseEngine",
                "db.api.spi.SessionProvider", "db.api.spi.ErrorMapper", "db.api.spi.QueryInstrumenter",
                "db.api.spi.ConfigKeySource");
        assertThat(api.isExported("db.api.internal")).isFalse();
    }
}
