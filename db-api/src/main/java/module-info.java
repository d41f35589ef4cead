/**
 * Switchboard's application API and service-provider interfaces: the contract, with no implementation choice
 * in it.
 *
 * <p>Applications {@code requires db.api;} and use {@link db.api.Database} or the {@link db.api.Db}
 * singleton. The engine ({@link db.api.spi.DatabaseEngine}, module {@code db.core}, which every pool module
 * brings) and the implementations of {@link db.api.spi.SessionProvider}, {@link db.api.spi.ErrorMapper} and
 * {@link db.api.spi.QueryInstrumenter} arrive as service providers on the module path (or through
 * {@code META-INF/services} on the class path); only this module declares {@code uses}.
 */
module db.api {
    requires transitive java.sql;

    exports db.api;
    exports db.api.spi;

    uses db.api.spi.DatabaseEngine;
    uses db.api.spi.SessionProvider;
    uses db.api.spi.ErrorMapper;
    uses db.api.spi.QueryInstrumenter;
    uses db.api.spi.ConfigKeySource;
}
