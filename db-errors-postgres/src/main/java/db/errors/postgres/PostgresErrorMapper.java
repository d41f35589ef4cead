package db.errors.postgres;

import db.api.DataAccessException;
import db.api.ErrorDetails;
import db.api.spi.ErrorContext;
import db.api.spi.ErrorMapper;
import db.core.support.ExceptionChain;
import db.api.spi.SqlStateFamily;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Maps pgjdbc's exceptions by SQLSTATE and the server's error fields (constraint, table, column,
 * schema, datatype); it never parses message text for names. The family of each SQLSTATE is
 * {@link SqlStateFamily}'s, so this mapper and the core's fallback agree; this one adds the
 * names, a readable message, the opt-in DETAIL and a better timeout rule.
 *
 * <p><b>Which exception it reads.</b> It answers only when the chain (the exception, its
 * {@link SQLException#getNextException() next exceptions} and causes) holds a pgjdbc
 * {@link PSQLException}; otherwise it answers empty and leaves the exception to the next mapper.
 * It reads the first one the server sent (it has a {@link ServerErrorMessage}), else the first
 * client-side one. So a {@link BatchUpdateException} maps to the error of the failed batch entry
 * (its next exception). The result's {@linkplain Throwable#getCause() cause} is always the
 * exception given to {@link #map}, so a batch exception and its update counts stay reachable.
 *
 * <p><b>Timeouts.</b> A {@code 57014 query_canceled} is a {@link db.api.QueryTimeoutException}
 * (retryable) when a timeout fired, else a {@link db.api.QueryCanceledException}. A timeout fired
 * when the JDBC query timeout elapsed ({@link ErrorContext#queryTimeoutElapsed()}: pgjdbc enforces
 * it by sending a cancel request, so the server reports "due to user request" and only the elapsed
 * time tells), when the call ran at least the configured {@link ErrorContext#statementTimeout()}, or
 * when the server's primary message says "statement timeout" (covers a {@code statement_timeout}
 * set in SQL or on the role; the server's text may be translated, so this last check is a help,
 * not the rule).
 *
 * <p><b>Messages.</b> {@code condition_name (SQLSTATE): primary message [schema=…, table=…,
 * column=…, datatype=…, constraint=…]}. The server's DETAIL (e.g. {@code Key (email)=(…)} or
 * {@code Failing row contains (…)}) never enters the message; with
 * {@link ErrorContext#includeDetail()} it is kept in {@link DataAccessException#detail()}. Primary
 * messages of class 22 (data exceptions) quote the offending value
 * ({@code invalid input syntax for type integer: "abc"}), so there everything between the first and
 * the last double quote becomes {@code "?"}, except an encoding name ({@code encoding "UTF8"}); byte
 * codes ({@code 0x00}) stay, since they are what tells a NUL byte apart. In every class a quoted SQL string literal that the parser echoes
 * ({@code syntax error at or near "'abc'"}) becomes {@code "?"}. Otherwise the primary message is
 * kept as the server sent it, including text the application's own PL/pgSQL {@code RAISE} wrote. For
 * client-side errors (no server message) pgjdbc's text is kept only for classes 08 and 28, where it
 * names the host and port; elsewhere it can hold values ({@code Bad value for type int : abc}), so
 * the message names the exception class instead.
 *
 * <p>Note that pgjdbc's own exception message (the cause's) includes the DETAIL and, for batches,
 * the statement with its parameters, unless the connection sets {@code logServerErrorDetail=false}.
 */
public final class PostgresErrorMapper implements ErrorMapper {

    private static final Pattern QUOTED_SPAN = Pattern.compile("\".*\"", Pattern.DOTALL);
    /** An encoding name the server quotes: a name, not a value, so it stays. */
    private static final Pattern ENCODING_NAME = Pattern.compile("encoding \"([A-Za-z0-9_]{1,63})\"");
    private static final Pattern QUOTED_LITERAL = Pattern.compile("\"'[^\"]*\"");

    /** A mapper; it holds no state. */
    public PostgresErrorMapper() {
        // stateless
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "postgres";
    }

    /** {@inheritDoc} Above generic mappers (0) and the core's fallback. */
    @Override
    public int priority() {
        return 100;
    }

    /** {@inheritDoc} */
    @Override
    public Optional<DataAccessException> map(SQLException exception, ErrorContext context) {
        ErrorContext ctx = context == null ? ErrorContext.DEFAULT : context;
        PSQLException source = sourceOf(exception);
        if (source == null) {
            return Optional.empty();
        }
        String sqlState = source.getSQLState() == null ? null : source.getSQLState().toUpperCase(Locale.ROOT);
        ServerErrorMessage server = source.getServerErrorMessage();
        SqlStateFamily family = SqlStateFamily.of(sqlState, ctx);
        if (family == SqlStateFamily.QUERY_CANCELED && server != null && server.getMessage() != null
                && server.getMessage().contains("statement timeout")) {
            family = SqlStateFamily.QUERY_TIMEOUT;
        }
        ErrorDetails details = server == null
                ? ErrorDetails.ofSqlState(sqlState)
                : new ErrorDetails(sqlState, server.getSchema(), server.getTable(), server.getColumn(),
                        server.getConstraint(), ctx.includeDetail() ? server.getDetail() : null);
        return Optional.of(family.newException(message(sqlState, source, server), exception, details));
    }

    /** The exception to read: the first the server sent, else the first pgjdbc one, else null. */
    static PSQLException sourceOf(SQLException exception) {
        PSQLException firstClientSide = null;
        for (Throwable t : ExceptionChain.of(exception)) {
            if (t instanceof PSQLException pg) {
                if (pg.getServerErrorMessage() != null) {
                    return pg;
                }
                if (firstClientSide == null) {
                    firstClientSide = pg;
                }
            }
        }
        return firstClientSide;
    }

    private static String message(String sqlState, PSQLException source, ServerErrorMessage server) {
        String condition = ConditionNames.of(sqlState);
        StringBuilder sb = new StringBuilder(condition != null ? condition : "unknown_condition")
                .append(" (").append(sqlState == null ? "no SQLSTATE" : sqlState).append(')');
        if (server != null) {
            String primary = primaryWithoutValues(sqlState, server.getMessage());
            if (primary != null && !primary.isBlank()) {
                sb.append(": ").append(primary);
            }
            int mark = sb.length();
            appendName(sb, "schema", server.getSchema());
            appendName(sb, "table", server.getTable());
            appendName(sb, "column", server.getColumn());
            appendName(sb, "datatype", server.getDatatype());
            appendName(sb, "constraint", server.getConstraint());
            if (sb.length() > mark) {
                sb.replace(mark, mark + 2, " [").append(']');
            }
        } else if (sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("28"))
                && source.getMessage() != null) {
            sb.append(": ").append(source.getMessage());
        } else {
            sb.append(" from ").append(source.getClass().getName());
        }
        return sb.toString();
    }

    /** The server's primary message with the values it may quote taken out (see the class doc). */
    static String primaryWithoutValues(String sqlState, String primary) {
        if (primary == null) {
            return null;
        }
        String text = primary;
        if (sqlState != null && sqlState.startsWith("22")) {
            // Values only: encoding names stay (set aside while quoted spans are masked), and so do byte
            // codes (0x00: at most one broken character, and exactly what tells a NUL byte apart).
            List<String> names = new ArrayList<>();
            Matcher m = ENCODING_NAME.matcher(text);
            StringBuilder kept = new StringBuilder();
            while (m.find()) {
                names.add(m.group(1));
                m.appendReplacement(kept, "encoding \u0001" + (names.size() - 1) + "\u0002");
            }
            m.appendTail(kept);
            text = QUOTED_SPAN.matcher(kept.toString()).replaceAll("\"?\"");
            for (int i = 0; i < names.size(); i++) {
                text = text.replace("\u0001" + i + "\u0002", "\"" + names.get(i) + "\"");
            }
        }
        return QUOTED_LITERAL.matcher(text).replaceAll("\"?\"");
    }

    private static void appendName(StringBuilder sb, String label, String value) {
        if (value != null && !value.isEmpty()) {
            sb.append(", ").append(label).append('=').append(value);
        }
    }
}
