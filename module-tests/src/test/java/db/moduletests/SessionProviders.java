package db.moduletests;

import db.api.Database;
import db.api.DbConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every session provider the session suite runs against. Adding one is one line in {@link #all()}.
 *
 * @param name   the provider's {@code name()}
 * @param pooled whether a returned connection is lent again (then "the next session" provably runs on
 *               the same backend with a pool of one)
 * @param opener opens a database with this provider from a config builder
 */
record SessionProviders(String name, boolean pooled, Function<DbConfig.Builder, Database> opener) {

    static Stream<SessionProviders> all() {
        return Stream.of(
                new SessionProviders("c3p0", true, b -> Database.open(b.sessionProvider("c3p0").build())),
                new SessionProviders("hikari", true, b -> Database.open(b.sessionProvider("hikari").build())),
                new SessionProviders("direct", false, b -> Database.open(b.sessionProvider("direct").build(),
                        DirectLayer.LAYER)));
    }

    Database open(DbConfig.Builder config) {
        return opener.apply(config);
    }

    @Override
    public String toString() {
        return name;
    }

    /** The unpooled fixture provider, with the PostgreSQL error mapper, in a layer of its own. */
    private static final class DirectLayer {
        static final ModuleLayer LAYER = layer();

        private static ModuleLayer layer() {
            List<java.nio.file.Path> paths = new ArrayList<>(LayerSwapTest.modules("db-errors-postgres"));
            paths.add(java.nio.file.Path.of(System.getProperty("switchboard.fixture.path",
                    "../db-fixture-provider/target/classes")));
            return Layers.of(paths);
        }
    }
}
