package db.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** db-api's own tests have no engine (db-core) on their path: opening a database says which module to add. */
class NoEngineTest {
    private static final DbConfig CONFIG = DbConfig.builder().url("postgresql://localhost/app").build();

    @Test
    void withoutAnEngineOpenSaysToAddDbCore() {
        assertThatThrownBy(() -> Database.open(CONFIG))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Switchboard engine found")
                .hasMessageContaining("module db.core")
                .hasMessageContaining("dev.switchboard:db-core")
                .hasMessageContaining("db-pool-c3p0")
                .hasMessageContaining("db.api.spi.DatabaseEngine");
    }

    @Test
    void withoutAnEngineInALayerOrItsParentsOpenSaysSo() {
        assertThatThrownBy(() -> Database.open(CONFIG, ModuleLayer.boot()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in the given module layer or its parents")
                .hasMessageContaining("module db.core");
    }
}
