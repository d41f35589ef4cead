package db.core.engine;

/**
 * Tells from SQL text whether a statement leaves state in the server session that outlives the
 * transaction, and which kind, so a session can reset exactly that before its connection is lent again.
 * Only the text is read: state changed inside a function, a procedure or a trigger cannot be seen (a
 * {@code DO} block is treated as changing everything). Literals, quoted identifiers, dollar-quoted
 * bodies and comments are skipped, so a value such as {@code 'SET ROLE'} marks nothing.
 *
 * <p>Stateless and thread-safe; one linear pass over the text.
 */
final class SessionStateSql {
    /** A run-time parameter: {@code SET}, {@code RESET}, {@code set_config(..)}, {@code DISCARD}, setSchema. */
    static final int GUC = 1;
    /** {@code SET ROLE}, {@code SET SESSION AUTHORIZATION}. */
    static final int ROLE = 1 << 1;
    /** {@code LISTEN}. */
    static final int LISTEN = 1 << 2;
    /** Temporary tables, views and sequences. */
    static final int TEMP = 1 << 3;
    /** Session-level advisory locks. */
    static final int ADVISORY = 1 << 4;
    /** SQL-level {@code PREPARE}. */
    static final int PREPARED = 1 << 5;
    /** Cursors declared {@code WITH HOLD}. */
    static final int CURSOR = 1 << 6;
    /** Everything above. */
    static final int ALL = GUC | ROLE | LISTEN | TEMP | ADVISORY | PREPARED | CURSOR;
    /**
     * Not state but a hint: the text opens a transaction itself ({@code BEGIN}, {@code START
     * TRANSACTION}); in autocommit mode the driver then does not know one is open, so the session rolls
     * it back on return.
     */
    static final int BEGIN = 1 << 7;

    private SessionStateSql() {
    }

    /** The kinds of session state the statements in {@code sql} change (and {@link #BEGIN}); 0 for none. */
    static int classify(String sql) {
        Scanner s = new Scanner(sql);
        int bits = 0;
        while (s.hasMoreStatements()) {
            bits |= statement(s);
        }
        return bits;
    }

    /** {@link #BEGIN} when a statement of {@code sql} starts with {@code BEGIN} or {@code START}, else 0. */
    static int opensTransaction(String sql) {
        Scanner s = new Scanner(sql);
        while (s.hasMoreStatements()) {
            boolean first = true;
            while (s.nextToken() && !s.semicolon()) {
                if (first && s.word()) {
                    int kw = s.keyword();
                    if (kw == BEGIN_KW || kw == START) {
                        return BEGIN;
                    }
                }
                first = false;
            }
        }
        return 0;
    }

    /** Reads one statement (up to a top-level {@code ;} or the end). */
    private static int statement(Scanner s) {
        int bits = 0;
        int index = 0;          // word position in the statement
        int first = NONE;       // the statement's first keyword
        int second = NONE;
        int third = NONE;
        int previous = NONE;
        boolean createTemp = false;
        while (s.nextToken()) {
            if (s.semicolon()) {
                break;
            }
            if (!s.word()) {
                previous = NONE;
                index++;
                continue;
            }
            int kw = s.keyword();
            if (index == 0) {
                first = kw;
            } else if (index == 1) {
                second = kw;
            } else if (index == 2) {
                third = kw;
            }
            switch (kw) {
                case SET_CONFIG -> bits |= GUC;
                case ADVISORY_LOCK -> bits |= ADVISORY;
                case TEMP_KW, TEMPORARY -> {
                    if ((first == CREATE && index <= 3) || previous == INTO) {
                        createTemp = true;
                    }
                }
                case PG_TEMP -> {
                    if (first == CREATE) {
                        createTemp = true;
                    }
                }
                case HOLD -> {
                    if (first == DECLARE && previous == WITH) {
                        bits |= CURSOR;
                    }
                }
                default -> {
                    // an ordinary word
                }
            }
            previous = kw;
            index++;
        }
        if (createTemp) {
            bits |= TEMP;
        }
        switch (first) {
            case SET -> {
                if (second == LOCAL || second == TRANSACTION || second == CONSTRAINTS) {
                    return bits; // ends with the transaction
                }
                if (second == ROLE_KW || (second == SESSION && (third == AUTHORIZATION || third == ROLE_KW))) {
                    return bits | ROLE;
                }
                return bits | GUC;
            }
            case RESET -> {
                return bits | (second == ROLE_KW || second == SESSION ? ROLE : GUC);
            }
            case DISCARD -> {
                return bits | GUC; // the baseline (init SQL) is gone and must be re-applied
            }
            case LISTEN_KW -> {
                return bits | LISTEN;
            }
            case PREPARE -> {
                return second == TRANSACTION ? bits : bits | PREPARED;
            }
            case DO -> {
                return ALL; // its body runs server-side code we cannot read reliably
            }
            case BEGIN_KW, START -> {
                return bits | BEGIN;
            }
            default -> {
                return bits;
            }
        }
    }

    // Keyword codes (NONE for any other word).
    private static final int NONE = 0;
    private static final int SET = 1;
    private static final int RESET = 2;
    private static final int LOCAL = 3;
    private static final int TRANSACTION = 4;
    private static final int CONSTRAINTS = 5;
    private static final int ROLE_KW = 6;
    private static final int SESSION = 7;
    private static final int AUTHORIZATION = 8;
    private static final int DISCARD = 9;
    private static final int LISTEN_KW = 10;
    private static final int PREPARE = 11;
    private static final int DECLARE = 12;
    private static final int WITH = 13;
    private static final int HOLD = 14;
    private static final int CREATE = 15;
    private static final int TEMP_KW = 16;
    private static final int TEMPORARY = 17;
    private static final int PG_TEMP = 18;
    private static final int INTO = 19;
    private static final int SET_CONFIG = 20;
    private static final int ADVISORY_LOCK = 21;
    private static final int DO = 22;
    private static final int BEGIN_KW = 23;
    private static final int START = 24;

    private static final String[] WORDS = {
        null, "set", "reset", "local", "transaction", "constraints", "role", "session", "authorization", "discard",
        "listen", "prepare", "declare", "with", "hold", "create", "temp", "temporary", "pg_temp", "into",
        "set_config", null, "do", "begin", "start",
    };

    /** Session-level advisory lock functions; the {@code _xact_} ones end with the transaction. */
    private static final String[] ADVISORY_FUNCTIONS = {
        "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
    };

    /** A tokenizer that only distinguishes words, semicolons and everything else. */
    private static final class Scanner {
        private final String sql;
        private final int length;
        private int pos;
        private int start;
        private int end;
        private char kind; // 'w' word, ';' semicolon, 'o' other

        Scanner(String sql) {
            this.sql = sql;
            this.length = sql.length();
        }

        boolean hasMoreStatements() {
            skipSpaceAndComments();
            return pos < length;
        }

        boolean semicolon() {
            return kind == ';';
        }

        boolean word() {
            return kind == 'w';
        }

        boolean nextToken() {
            skipSpaceAndComments();
            if (pos >= length) {
                return false;
            }
            char c = sql.charAt(pos);
            start = pos;
            if (c == ';') {
                pos++;
                kind = ';';
            } else if (Character.isLetter(c) || c == '_') {
                if ((c == 'E' || c == 'e') && pos + 1 < length && sql.charAt(pos + 1) == '\'') {
                    pos++;
                    skipQuoted('\'', true);
                    kind = 'o';
                } else {
                    while (pos < length && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_'
                            || sql.charAt(pos) == '$')) {
                        pos++;
                    }
                    kind = 'w';
                }
            } else if (c == '\'') {
                skipQuoted('\'', false);
                kind = 'o';
            } else if (c == '"') {
                skipQuoted('"', false);
                kind = 'o';
            } else if (c == '$') {
                skipDollar();
                kind = 'o';
            } else {
                pos++;
                kind = 'o';
            }
            end = pos;
            return true;
        }

        int keyword() {
            int len = end - start;
            for (int i = 1; i < WORDS.length; i++) {
                String w = WORDS[i];
                if (w != null && w.length() == len && sql.regionMatches(true, start, w, 0, len)) {
                    return i;
                }
            }
            for (String f : ADVISORY_FUNCTIONS) {
                if (f.length() == len && sql.regionMatches(true, start, f, 0, len)) {
                    return ADVISORY_LOCK;
                }
            }
            return NONE;
        }

        private void skipSpaceAndComments() {
            while (pos < length) {
                char c = sql.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '-' && pos + 1 < length && sql.charAt(pos + 1) == '-') {
                    while (pos < length && sql.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == '/' && pos + 1 < length && sql.charAt(pos + 1) == '*') {
                    int depth = 0;
                    while (pos < length) {
                        if (sql.startsWith("/*", pos)) {
                            depth++;
                            pos += 2;
                        } else if (sql.startsWith("*/", pos)) {
                            depth--;
                            pos += 2;
                            if (depth == 0) {
                                break;
                            }
                        } else {
                            pos++;
                        }
                    }
                } else {
                    return;
                }
            }
        }

        private void skipQuoted(char quote, boolean backslashEscapes) {
            pos++; // the opening quote
            while (pos < length) {
                char c = sql.charAt(pos);
                if (backslashEscapes && c == '\\') {
                    pos += 2;
                } else if (c == quote) {
                    if (pos + 1 < length && sql.charAt(pos + 1) == quote) {
                        pos += 2; // doubled quote
                    } else {
                        pos++;
                        return;
                    }
                } else {
                    pos++;
                }
            }
        }

        private void skipDollar() {
            int tagEnd = pos + 1;
            while (tagEnd < length && (Character.isLetterOrDigit(sql.charAt(tagEnd)) || sql.charAt(tagEnd) == '_')) {
                tagEnd++;
            }
            if (tagEnd >= length || sql.charAt(tagEnd) != '$') {
                pos++; // a positional parameter such as $1
                return;
            }
            String tag = sql.substring(pos, tagEnd + 1);
            int close = sql.indexOf(tag, tagEnd + 1);
            pos = close < 0 ? length : close + tag.length();
        }
    }
}
