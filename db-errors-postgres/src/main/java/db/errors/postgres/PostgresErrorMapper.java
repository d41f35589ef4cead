package db.errors.postgres;

import db.api.DataAccessException;
import db.api.spi.ErrorContext;
import db.api.spi.ErrorMapper;
import java.sql.SQLException;
import java.util.Optional;

/** PostgreSQL error mapper. IN PROGRESS. */
public final class PostgresErrorMapper implements ErrorMapper {
    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Optional<DataAccessException> map(SQLException exception, ErrorContext context) {
        return Optional.empty();
    }
}
