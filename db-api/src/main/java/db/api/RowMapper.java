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

    /**
     * Maps the current row.
     *
     * @param row the result set, positioned on the row to map; do not move it
     * @return the value made of the row; may be {@code null}
     * @throws java.sql.SQLException when reading a column fails; the session maps it
     */
    T map(ResultSet row) throws SQLException;
}
