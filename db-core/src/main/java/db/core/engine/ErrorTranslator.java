package db.core.engine;

import db.api.DataAccessException;
import db.api.ErrorDetails;
import db.api.UncategorizedDataAccessException;
import db.api.spi.ErrorContext;
import db.api.spi.ErrorMapper;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Asks the error mappers in priority order; the first answer wins, and the core's SQLSTATE-class
 * fallback always answers last. Immutable.
 */
final class ErrorTranslator {
    private static final Logger LOG = LogManager.getLogger(ErrorTranslator.class);

    private final List<ErrorMapper> mappers;
    private final boolean includeDetail;
    private final Duration statementTimeout;

    /**
     * @param mappers          in the order to ask them; must end with the fallback
     * @param includeDetail    {@code db.errors.include-detail}
     * @param statementTimeout {@code db.statement-timeout}, {@link Duration#ZERO} when not set
     */
    ErrorTranslator(List<ErrorMapper> mappers, boolean includeDetail, Duration statementTimeout) {
        this.mappers = List.copyOf(mappers);
        this.includeDetail = includeDetail;
        this.statementTimeout = statementTimeout;
    }

    /** What the mappers are told about a failed call that ran {@code elapsed}. */
    ErrorContext context(Duration elapsed, int queryTimeoutSeconds) {
        return new ErrorContext(includeDetail, elapsed, Duration.ofSeconds(Math.max(0, queryTimeoutSeconds)),
                statementTimeout);
    }

    /** Maps a failure that did not come from a timed statement (a checkout, a commit). */
    DataAccessException translate(SQLException exception) {
        return translate(exception, context(Duration.ZERO, 0));
    }

    DataAccessException translate(SQLException exception, ErrorContext context) {
        for (ErrorMapper mapper : mappers) {
            try {
                Optional<DataAccessException> mapped = mapper.map(exception, context);
                if (mapped != null && mapped.isPresent()) {
                    return mapped.get();
                }
            } catch (RuntimeException e) {
                LOG.warn("Error mapper '{}' failed; asking the next one", mapper.name(), e);
            }
        }
        return new UncategorizedDataAccessException("Uncategorized database error (SQLSTATE "
                + exception.getSQLState() + ", " + exception.getClass().getName() + ")", exception,
                ErrorDetails.ofSqlState(exception.getSQLState()));
    }
}
