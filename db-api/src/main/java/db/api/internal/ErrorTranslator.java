package db.api.internal;

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

    /** @param mappers in the order to ask them; must end with the fallback */
    ErrorTranslator(List<ErrorMapper> mappers, boolean includeDetail) {
        this.mappers = List.copyOf(mappers);
        this.includeDetail = includeDetail;
    }

    boolean includeDetail() {
        return includeDetail;
    }

    ErrorContext defaultContext() {
        return new ErrorContext(includeDetail, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    DataAccessException translate(SQLException exception) {
        return translate(exception, defaultContext());
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
