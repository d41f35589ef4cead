package db.tracing.otel.internal;

import static db.tracing.otel.internal.SemconvKeys.DB_NAMESPACE;
import static db.tracing.otel.internal.SemconvKeys.DB_SYSTEM_NAME;
import static db.tracing.otel.internal.SemconvKeys.SERVER_ADDRESS;
import static db.tracing.otel.internal.SemconvKeys.SERVER_PORT;

import db.api.DatabaseTarget;
import db.core.support.SqlTextCache;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/** What statements on one host record: its server attributes, and per SQL text the shapes built from them. */
final class ServerAttributes {
    final DatabaseTarget target;
    /** db.system.name, db.namespace, server.address, server.port: the same on every span and measurement. */
    final Attributes base;
    final SqlTextCache<StatementShape> shapes;
    final StatementShape emptyBatch;

    ServerAttributes(DatabaseTarget target, String namespace, boolean queryText) {
        this.target = target;
        AttributesBuilder b = Attributes.builder()
                .put(DB_SYSTEM_NAME, SemconvKeys.SYSTEM)
                .put(DB_NAMESPACE, namespace)
                .put(SERVER_ADDRESS, target.host());
        if (target.port() != DatabaseTarget.DEFAULT_PORT) {
            b.put(SERVER_PORT, (long) target.port());
        }
        this.base = b.build();
        // Attribute sets are immutable and shared: built once per SQL text.
        this.shapes = new SqlTextCache<>(1_000, 4_096,
                sql -> new StatementShape(sql, SqlAnalyzer.analyze(sql), base, queryText));
        this.emptyBatch = new StatementShape("", SqlInfo.EMPTY_BATCH, base, queryText);
    }
}
