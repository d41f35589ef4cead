/**
 * An {@link db.api.spi.ErrorMapper} for PostgreSQL: SQLSTATEs and pgjdbc's server error fields.
 */
module db.errors.postgres {
    requires db.api;
    requires db.core; // the helpers for provider authors (db.core.support); it brings the engine
    requires org.postgresql.jdbc;

    provides db.api.spi.ErrorMapper with db.errors.postgres.PostgresErrorMapper;
}
