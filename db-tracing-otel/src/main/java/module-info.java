/**
 * A {@link db.api.spi.QueryInstrumenter} emitting OpenTelemetry spans and metrics that follow the
 * stable database semantic conventions. Only {@code db.tracing.otel} is exported, for the names of
 * its configuration keys; the SQL lexer and the instrumentation itself stay internal.
 */
module db.tracing.otel {
    requires transitive db.api; // OpenTelemetryInstrumenter (exported) implements its SPI
    requires db.core; // the helpers for provider authors (db.core.support)
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires org.apache.logging.log4j;

    exports db.tracing.otel;

    provides db.api.spi.QueryInstrumenter with db.tracing.otel.OpenTelemetryInstrumenter;
    provides db.api.spi.ConfigKeySource with db.tracing.otel.TracingKeys;
}
