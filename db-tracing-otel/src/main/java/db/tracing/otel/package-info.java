/**
 * OpenTelemetry tracing and metrics for Switchboard, following the stable database semantic
 * conventions for PostgreSQL. Put the module on the module path (or the jar on the class path) and
 * every statement that passes through a session becomes a CLIENT span named by its
 * {@code db.query.summary} ({@code SELECT users}, {@code INSERT orders SELECT carts},
 * {@code BATCH INSERT orders}), with {@code db.system.name}, {@code db.namespace} (the database name;
 * the schema is not added because it is not known without a round trip), {@code server.address},
 * {@code server.port} (when not 5432), {@code db.operation.name}, {@code db.stored_procedure.name}
 * (for {@code CALL}), {@code db.query.text} and, on
 * failure, {@code db.response.status_code} and {@code error.type} (the SQLSTATE) and an
 * {@code exception} event for the mapped Switchboard exception. Query parameter values are never
 * recorded. Metrics: {@code db.client.operation.duration} and the {@code db.client.connection.*}
 * pool instruments.
 *
 * <p>Configuration keys are the constants of {@link db.tracing.otel.OpenTelemetryInstrumenter}.
 * When the OpenTelemetry Java agent also instruments JDBC, turn its JDBC instrumentation off
 * ({@code otel.instrumentation.jdbc.enabled=false}) or each statement is traced twice.
 */
package db.tracing.otel;
