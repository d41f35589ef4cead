package db.api.spi;

import db.api.DataAccessException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Service interface that turns driver exceptions into {@link DataAccessException}s. All mappers
 * found are asked in descending {@link #priority()}; the first answer wins. The core ends the chain
 * with a generic SQLSTATE-class mapper, so every exception maps even with no mapper module present.
 */
public interface ErrorMapper {

    /** {@return a short stable name, shown in the startup log ({@code "postgres"})} */
    String name();

    /** {@return this one's priority: higher goes first} The core's fallback has {@link Integer#MIN_VALUE}. */
    default int priority() {
        return 0;
    }

    /**
     * Maps {@code exception} (walk its causes and {@link SQLException#getNextException()}), or
     * answers empty when it is not this mapper's to map. The result keeps {@code exception} as its
     * cause and never puts row values into its message unless {@link ErrorContext#includeDetail()}.
     *
     * @param exception what the driver threw
     * @param context what was running and the application's choices (such as including DETAIL)
     * @return the mapped exception, or empty when another mapper should try
     */
    Optional<DataAccessException> map(SQLException exception, ErrorContext context);
}
