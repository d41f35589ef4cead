/**
 * The implementation behind {@link db.tracing.otel.OpenTelemetryInstrumenter}: the instrumentation
 * per database, the SQL lexer that sanitizes text and derives the query summary, and its bounded
 * cache. Not exported.
 */
package db.tracing.otel.internal;
