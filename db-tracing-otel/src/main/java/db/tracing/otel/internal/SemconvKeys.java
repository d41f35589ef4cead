package db.tracing.otel.internal;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute keys, span names and event names the instrumentation records: the database semantic
 * conventions' ({@code db.*}, {@code server.*}, {@code error.type}, {@code exception.*}) and Switchboard's
 * own ({@code switchboard.*}, where the conventions define none).
 */
final class SemconvKeys {
    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> DB_QUERY_SUMMARY = AttributeKey.stringKey("db.query.summary");
    static final AttributeKey<String> DB_STORED_PROCEDURE_NAME = AttributeKey.stringKey("db.stored_procedure.name");
    static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
    /** Which pool of a database: the primary's or a standby's (Switchboard's own: see {@link OtelInstrumentation}). */
    static final AttributeKey<String> POOL_ROLE = AttributeKey.stringKey("switchboard.pool.role");
    static final AttributeKey<String> CONNECTION_STATE = AttributeKey.stringKey("db.client.connection.state");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
    /** Switchboard's own attributes of a slow checkout (the conventions define none). */
    static final AttributeKey<Double> CHECKOUT_WAIT = AttributeKey.doubleKey("switchboard.checkout.wait");
    static final AttributeKey<Long> POOL_TOTAL = AttributeKey.longKey("switchboard.pool.total");
    static final AttributeKey<Long> POOL_IDLE = AttributeKey.longKey("switchboard.pool.idle");
    static final AttributeKey<Long> POOL_BUSY = AttributeKey.longKey("switchboard.pool.busy");
    static final AttributeKey<Long> POOL_PENDING = AttributeKey.longKey("switchboard.pool.pending");
    static final AttributeKey<Long> POOL_MAX = AttributeKey.longKey("switchboard.pool.max");

    static final AttributeKey<String> TX_ISOLATION = AttributeKey.stringKey("switchboard.transaction.isolation");
    static final AttributeKey<Boolean> TX_READ_ONLY = AttributeKey.booleanKey("switchboard.transaction.read_only");
    static final AttributeKey<Long> TX_MAX_ATTEMPTS = AttributeKey.longKey("switchboard.transaction.max_attempts");
    static final AttributeKey<Long> TX_ATTEMPTS = AttributeKey.longKey("switchboard.transaction.attempts");
    static final AttributeKey<Long> TX_ATTEMPT = AttributeKey.longKey("switchboard.transaction.attempt");
    static final AttributeKey<String> TX_OUTCOME = AttributeKey.stringKey("switchboard.transaction.outcome");
    static final AttributeKey<Double> TX_BACKOFF = AttributeKey.doubleKey("switchboard.transaction.backoff");

    /** The {@code db.system.name} of every span and measurement. */
    static final String SYSTEM = "postgresql";
    /** The INTERNAL span of one {@code inTransaction}. */
    static final String TRANSACTION_SPAN = "transaction";
    /** The event per retried attempt on the transaction span. */
    static final String RETRY_EVENT = "switchboard.transaction.retry";
    /** The event on the first statement's span after a slow checkout. */
    static final String SLOW_CHECKOUT_EVENT = "db.client.connection.slow_checkout";
    /** The opt-in span of a slow checkout. */
    static final String CHECKOUT_SPAN = "checkout";

    private SemconvKeys() {
    }
}
