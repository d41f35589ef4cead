package db.core.engine;

import db.api.BadSqlException;
import db.api.DataAccessException;
import db.api.ErrorDetails;
import db.api.spi.ErrorContext;
import db.api.spi.ErrorMapper;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Behind a transaction pooler ({@code db.pooler=pgbouncer-transaction}) the server connection goes to
 * another client after every transaction, so session state set by one client would leak to others or
 * vanish. This refuses, before anything is sent, the statements whose effect outlives the transaction:
 * session {@code SET}/{@code RESET}, {@code LISTEN}, session advisory locks, {@code WITH HOLD} cursors,
 * SQL-level {@code PREPARE} and {@code DISCARD}. {@code SET LOCAL}, {@code SET TRANSACTION} and
 * transaction advisory locks ({@code pg_advisory_xact_lock}) pass. Immutable.
 */
final class TransactionPoolerGuard {
    /** SQLSTATE feature_not_supported. */
    static final String SQLSTATE = "0A000";

    private static final int PREFIX = 200;

    /** Throws when {@code sql} cannot work behind a transaction pooler. */
    void check(String sql) throws SQLException {
        if (sql == null) {
            return;
        }
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("pg_advisory_lock") || lower.contains("pg_try_advisory_lock")) {
            throw refused("a session advisory lock (pg_advisory_lock / pg_try_advisory_lock)",
                    "use pg_advisory_xact_lock inside a transaction");
        }
        int from = 0;
        while (from < lower.length()) {
            int end = lower.indexOf(';', from);
            if (end < 0) {
                end = lower.length();
            }
            checkOne(lower.substring(from, Math.min(end, from + PREFIX)));
            from = end + 1;
        }
    }

    private static void checkOne(String statement) throws SQLException {
        String s = stripLeading(statement);
        if (startsWithWord(s, "set")) {
            String rest = stripLeading(s.substring(3));
            if (startsWithWord(rest, "local") || startsWithWord(rest, "transaction")
                    || startsWithWord(rest, "constraints")) {
                return;
            }
            throw refused("a session SET", "use SET LOCAL inside a transaction, or set it for every connection "
                    + "with db.* keys or the URL's options");
        }
        if (startsWithWord(s, "reset")) {
            throw refused("RESET of a session setting", "use SET LOCAL inside a transaction");
        }
        if (startsWithWord(s, "listen")) {
            throw refused("LISTEN", "use a direct connection to PostgreSQL (not through the pooler) for notifications");
        }
        if (startsWithWord(s, "declare") && s.matches("(?s).*\\bwith\\s+hold\\b.*")) {
            throw refused("a WITH HOLD cursor", "use a cursor WITHOUT HOLD inside the transaction");
        }
        if (startsWithWord(s, "prepare") && !stripLeading(s.substring(7)).startsWith("transaction")) {
            throw refused("SQL-level PREPARE", "use JDBC prepared statements (the driver does not keep them "
                    + "on the server here: prepareThreshold=0)");
        }
        if (startsWithWord(s, "discard")) {
            throw refused("DISCARD (a session-level reset)", "PgBouncer resets server connections itself");
        }
    }

    /** The refusal: its message is the library's own (no row values), so the mapped exception keeps it. */
    static final class Refusal extends SQLException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, SQLSTATE);
        }
    }

    /** Maps a {@link Refusal} to a {@link BadSqlException} with the refusal's message; asked first. */
    static final class Mapper implements ErrorMapper {
        @Override
        public String name() {
            return "transaction-pooler-guard";
        }

        @Override
        public Optional<DataAccessException> map(SQLException exception, ErrorContext context) {
            if (exception instanceof Refusal) {
                return Optional.of(new BadSqlException(exception.getMessage(), exception,
                        ErrorDetails.ofSqlState(SQLSTATE)));
            }
            return Optional.empty();
        }
    }

    private static SQLException refused(String what, String instead) {
        return new Refusal("Refused: " + what + " cannot work behind db.pooler=pgbouncer-transaction (PgBouncer "
                + "hands the server connection to another client after each transaction, so session state would leak "
                + "or be lost); " + instead + ". See README, 'Scaling out'.");
    }

    private static boolean startsWithWord(String s, String word) {
        return s.startsWith(word) && (s.length() == word.length() || (!Character.isLetterOrDigit(s.charAt(word.length()))
                && s.charAt(word.length()) != '_'));
    }

    /** Skips whitespace, {@code --} line comments and {@code /* *\/} block comments. */
    private static String stripLeading(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int close = s.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else {
                break;
            }
        }
        return s.substring(i);
    }
}
