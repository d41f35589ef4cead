package db.api.internal;

import db.api.AuthenticationException;
import db.api.BadSqlException;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DataException;
import db.api.ErrorDetails;
import db.api.IntegrityViolationException;
import db.api.PermissionDeniedException;
import db.api.ResourceExhaustedException;
import db.api.TransactionStateException;
import db.api.UncategorizedDataAccessException;
import db.api.spi.ErrorContext;
import db.api.spi.ErrorMapper;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The core's last-resort mapper: by SQLSTATE class only, with no driver types, so every
 * {@link SQLException} maps even when no mapper module is present. Its message names the SQLSTATE and
 * the exception class but never the driver's message, which may carry row values.
 */
public final class SqlStateFallbackMapper implements ErrorMapper {

    @Override
    public String name() {
        return "sqlstate-class";
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Optional<DataAccessException> map(SQLException exception, ErrorContext context) {
        String state = exception.getSQLState();
        String message = "Database error, SQLSTATE " + state + " (" + exception.getClass().getName() + ")";
        ErrorDetails details = ErrorDetails.ofSqlState(state);
        String cls = state == null || state.length() < 2 ? "" : state.substring(0, 2);
        DataAccessException mapped;
        switch (cls) {
            case "23":
            case "27":
            case "44":
                mapped = new IntegrityViolationException(message, exception, details);
                break;
            case "08":
                mapped = new ConnectionException(message, exception, details);
                break;
            case "42":
                mapped = "42501".equals(state) ? new PermissionDeniedException(message, exception, details)
                        : new BadSqlException(message, exception, details);
                break;
            case "26":
            case "34":
            case "3F":
                mapped = new BadSqlException(message, exception, details);
                break;
            case "28":
                mapped = new AuthenticationException(message, exception, details);
                break;
            case "21":
            case "22":
                mapped = new DataException(message, exception, details);
                break;
            case "25":
            case "2D":
            case "3B":
            case "40":
                mapped = new TransactionStateException(message, exception, details);
                break;
            case "53":
            case "54":
                mapped = new ResourceExhaustedException(message, exception, details);
                break;
            default:
                mapped = new UncategorizedDataAccessException(message, exception, details);
        }
        return Optional.of(mapped);
    }
}
