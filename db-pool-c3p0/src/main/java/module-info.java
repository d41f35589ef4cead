/**
 * A {@link db.api.spi.SessionProvider} backed by a c3p0 pool, configured entirely in code.
 */
@SuppressWarnings("module") // c3p0's automatic module name ends in digits
module db.pool.c3p0 {
    requires db.api;
    requires db.core; // the helpers for provider authors (db.core.support); it brings the engine
    requires com.mchange.v2.c3p0;
    requires java.naming;
    requires java.desktop;
    requires org.apache.logging.log4j;

    provides db.api.spi.SessionProvider with db.pool.c3p0.C3p0SessionProvider;
}
