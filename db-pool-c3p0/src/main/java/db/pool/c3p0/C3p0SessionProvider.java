package db.pool.c3p0;

import db.api.DbConfig;
import db.api.spi.ConnectionPool;
import db.api.spi.PoolEvents;
import db.api.spi.SessionProvider;

/** A c3p0-backed session provider. IN PROGRESS. */
public final class C3p0SessionProvider implements SessionProvider {
    @Override
    public String name() {
        return "c3p0";
    }

    @Override
    public ConnectionPool start(DbConfig config, PoolEvents events) {
        throw new UnsupportedOperationException();
    }
}
