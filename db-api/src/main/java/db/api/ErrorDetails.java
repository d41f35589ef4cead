package db.api;

import java.util.Optional;

/**
 * What the server (or the driver) said about a failed operation, minus anything that could
 * carry row values: the SQLSTATE and the names of the schema objects involved.
 *
 * <p>{@link #detail()} holds the server's DETAIL text (which may contain row values, that is PII)
 * only when the application opted in with {@code db.errors.include-detail=true}.
 *
 * @param sqlState   the five-character SQLSTATE, or {@code null} when the failure had none
 * @param schema     schema name from the server, or {@code null}
 * @param table      table name from the server, or {@code null}
 * @param column     column name from the server, or {@code null}
 * @param constraint constraint name from the server, or {@code null}
 * @param detail     the server's DETAIL text when opted in, else {@code null}
 */
public record ErrorDetails(String sqlState, String schema, String table, String column,
                           String constraint, String detail) {

    /** Details carrying nothing at all. */
    public static final ErrorDetails NONE = new ErrorDetails(null, null, null, null, null, null);

    /**
     * {@return details carrying only a SQLSTATE}
     *
     * @param sqlState the five-character SQLSTATE, or {@code null} when the failure had none
     */
    public static ErrorDetails ofSqlState(String sqlState) {
        return new ErrorDetails(sqlState, null, null, null, null, null);
    }

    /** {@return the DETAIL text when the application opted in to it} */
    public Optional<String> detailText() {
        return Optional.ofNullable(detail);
    }

    @Override
    public String toString() {
        // Never print the DETAIL: toString ends up in logs.
        StringBuilder sb = new StringBuilder("ErrorDetails[sqlState=").append(sqlState);
        appendIfSet(sb, "schema", schema);
        appendIfSet(sb, "table", table);
        appendIfSet(sb, "column", column);
        appendIfSet(sb, "constraint", constraint);
        return sb.append(']').toString();
    }

    private static void appendIfSet(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(", ").append(name).append('=').append(value);
        }
    }
}
