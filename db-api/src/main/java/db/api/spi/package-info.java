/**
 * Switchboard's service-provider interfaces: {@link db.api.spi.SessionProvider} (a pool),
 * {@link db.api.spi.ErrorMapper} (driver errors to {@link db.api.DataAccessException}s) and
 * {@link db.api.spi.QueryInstrumenter} (tracing and metrics), with their small value types.
 * Implementations declare {@code provides ... with} in their {@code module-info.java} and ship a
 * {@code META-INF/services} file for the class path.
 */
package db.api.spi;
