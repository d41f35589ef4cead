package db.api;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a {@link ResultSet} into a value. Do not call {@code next()}.
 *
 * @param <T> the row's type
 */
@FunctionalInterface
public interface RowMapper<T> {

    /** Maps the current row. */
    T map(ResultSet row) throws SQLException;
}
