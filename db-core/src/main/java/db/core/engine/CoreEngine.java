package db.core.engine;

import db.api.Database;
import db.api.DbConfig;
import db.api.spi.DatabaseEngine;
import db.api.spi.SelectedProviders;
import java.util.Objects;

/** Switchboard's engine, as {@code db.api} finds it: each {@link #open} starts one {@link Core}. */
public final class CoreEngine implements DatabaseEngine {

    /** The instance {@link java.util.ServiceLoader} creates. */
    public CoreEngine() {
    }

    @Override
    public Database open(DbConfig config, SelectedProviders providers) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(providers, "providers");
        EngineParameterCheck.requireApplied(config);
        return new CoreDatabase(Core.open(config, providers));
    }
}
