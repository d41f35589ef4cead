/**
 * A {@link db.api.spi.SessionProvider} ({@code hikari}) backed by a HikariCP pool, configured entirely in
 * code from {@link db.api.DbConfig}.
 */
module db.pool.hikari {
    requires db.api;
    requires db.core; // the helpers for provider authors (db.core.support); it brings the engine
    requires com.zaxxer.hikari;
    requires org.apache.logging.log4j;

    provides db.api.spi.SessionProvider with db.pool.hikari.HikariSessionProvider;
}
