package db.tracing.otel.internal;

import db.tracing.otel.internal.SqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns SQL text into what the database semantic conventions record: a sanitized
 * {@code db.query.text}, a {@code db.query.summary} and a {@code db.operation.name}.
 *
 * <p>This is a heuristic over tokens, not a parser: it must be fast, must never throw, and must
 * degrade to "less information" on SQL it does not understand. Operation keywords and table names are
 * kept exactly as the application wrote them (the conventions ask for no case normalization), quotes
 * and schema included. No {@code db.operation.name} is derived: for SQL the conventions say it SHOULD
 * NOT be extracted from the text.
 */
public final class SqlAnalyzer {

    /** The conventions' limit on {@code db.query.summary}. */
    public static final int MAX_SUMMARY_LENGTH = 255;

    /** Operations recognised anywhere in a statement (subqueries, CTEs, INSERT ... SELECT). */
    private static final Set<String> DML = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE");

    /**
     * Words after which {@code UPDATE}/{@code DELETE}/{@code INSERT}/{@code SELECT} are not an
     * operation: {@code FOR UPDATE}, {@code FOR NO KEY UPDATE}, {@code ON DELETE CASCADE},
     * {@code ON CONFLICT ... DO UPDATE}, {@code WHEN MATCHED THEN UPDATE}, {@code INSERT OR UPDATE}.
     */
    private static final Set<String> NOT_AN_OPERATION_AFTER = Set.of("FOR", "KEY", "ON", "DO", "THEN", "OR");

    /** Statements whose first word starts ordinary DML parsing. */
    private static final Set<String> DML_START = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH",
            "VALUES", "EXPLAIN");

    /** Words that end a {@code FROM a, b, c} list. */
    private static final Set<String> FROM_LIST_END = Set.of("WHERE", "GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING",
            "WINDOW", "UNION", "INTERSECT", "EXCEPT", "ON", "USING", "RETURNING", "FOR", "SET", "JOIN", "FETCH",
            "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL");

    /** Words skipped while looking for a table name. */
    private static final Set<String> TARGET_NOISE = Set.of("ONLY", "LATERAL", "TABLE", "IF", "NOT", "EXISTS",
            "CONCURRENTLY");

    /** Modifiers between CREATE and the object type. */
    private static final Set<String> CREATE_MODIFIERS = Set.of("OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED",
            "GLOBAL", "LOCAL", "UNIQUE", "RECURSIVE", "DEFAULT", "TRUSTED", "PROCEDURAL", "CONSTRAINT");

    private SqlAnalyzer() {
    }

    /** Analyzes {@code sql}; never throws. */
    public static SqlInfo analyze(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        String sanitized = sanitize(sql, tokens);
        return new Summarizer(sql, significant(tokens)).run(sanitized, commonStatement(sql, tokens));
    }

    /**
     * The sanitized text every statement of {@code sql} shares when it holds two or more statements
     * that are identical once sanitized ({@code INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)}),
     * else {@code null}. A batch of such statements then records its text once.
     */
    static String commonStatement(String sql, List<Token> tokens) {
        String common = null;
        int statements = 0;
        int from = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            boolean end = i == tokens.size();
            if (!end) {
                Token t = tokens.get(i);
                if (t.type() != SqlLexer.Type.PUNCTUATION || t.end() - t.start() != 1 || sql.charAt(t.start()) != ';') {
                    continue;
                }
            }
            String one = sanitize(sql, tokens.subList(from, i));
            from = i + 1;
            if (one.isEmpty()) {
                continue;
            }
            statements++;
            if (common == null) {
                common = one;
            } else if (!common.equals(one)) {
                return null;
            }
        }
        return statements >= 2 ? common : null;
    }

    // ---------------------------------------------------------------- sanitizing

    /** Replaces literals by {@code ?}, drops comments and collapses {@code IN (?, ?)} lists. */
    static String sanitize(String sql, List<Token> tokens) {
        StringBuilder out = new StringBuilder(sql.length());
        // IN-list collapsing: 0 = idle, 1 = saw IN, 2 = inside "IN (" with only placeholders so far.
        int inState = 0;
        int listStart = -1;
        boolean listHasPlaceholder = false;
        for (Token t : tokens) {
            SqlLexer.Type type = t.type();
            String text = sql.substring(t.start(), t.end());
            String emitted;
            if (type == SqlLexer.Type.COMMENT) {
                // A comment separates tokens: keep one space where it stood.
                if (out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
                    out.append(' ');
                }
                continue;
            } else if (type == SqlLexer.Type.WHITESPACE) {
                if (out.length() > 0 && Character.isWhitespace(out.charAt(out.length() - 1))) {
                    // A removed comment left whitespace here already: keep one run, preferring a line break.
                    if (text.indexOf('\n') < 0) {
                        continue;
                    }
                    while (out.length() > 0 && (out.charAt(out.length() - 1) == ' '
                            || out.charAt(out.length() - 1) == '\t')) {
                        out.setLength(out.length() - 1);
                    }
                }
                out.append(text);
                continue;
            } else if (type == SqlLexer.Type.STRING || type == SqlLexer.Type.NUMBER || isBoolean(type, text)) {
                emitted = "?";
            } else {
                emitted = text;
            }
            // IN-list state machine over significant tokens.
            if (inState == 2) {
                if ("?".equals(emitted)) {
                    listHasPlaceholder = true;
                    out.append(emitted);
                    continue;
                }
                if (",".equals(emitted) || "-".equals(emitted) || "+".equals(emitted)) {
                    out.append(emitted);
                    continue;
                }
                if (")".equals(emitted) && listHasPlaceholder) {
                    out.setLength(listStart);
                    out.append("?)");
                    inState = 0;
                    continue;
                }
                inState = 0;
            }
            if (inState == 1) {
                inState = 0;
                if ("(".equals(emitted)) {
                    out.append(emitted);
                    inState = 2;
                    listStart = out.length();
                    listHasPlaceholder = false;
                    continue;
                }
            }
            if (type == SqlLexer.Type.WORD && "IN".equalsIgnoreCase(text)) {
                inState = 1;
            }
            out.append(emitted);
        }
        return out.toString().strip();
    }

    private static boolean isBoolean(SqlLexer.Type type, String text) {
        return type == SqlLexer.Type.WORD && ("TRUE".equalsIgnoreCase(text) || "FALSE".equalsIgnoreCase(text));
    }

    private static List<Token> significant(List<Token> tokens) {
        List<Token> result = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            if (t.type() != SqlLexer.Type.WHITESPACE && t.type() != SqlLexer.Type.COMMENT) {
                result.add(t);
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- summarizing

    /** One pass over the significant tokens collecting operations and targets. */
    private static final class Summarizer {
        private enum Expect { NOTHING, TARGET, TARGET_NOT_FUNCTION }

        private final String sql;
        private final List<Token> tokens;

        private final StringBuilder summary = new StringBuilder();
        private boolean summaryFull;

        // Per statement.
        private final StringBuilder statementSummary = new StringBuilder();
        private boolean statementStart = true;
        private boolean opaque;

        // Across statements, for batches.
        private int statements;
        private String commonSummary;
        private boolean summariesDiffer;

        // Parsing state.
        private String procedure;
        private boolean expectProcedure;
        private Expect expect = Expect.NOTHING;
        private int fromListDepth = -1;
        /** Per open parenthesis: whether it holds a query (so FROM introduces a table there). */
        private final Deque<Boolean> levels = new ArrayDeque<>();
        private String previousWord = "";

        Summarizer(String sql, List<Token> tokens) {
            this.sql = sql;
            this.tokens = tokens;
        }

        SqlInfo run(String sanitized, String commonStatement) {
            int i = 0;
            while (i < tokens.size()) {
                i = step(i);
            }
            endStatement();
            String text = summary.length() == 0 ? null : summary.toString();
            boolean bindMarkers = false;
            for (Token t : tokens) {
                bindMarkers |= t.type() == SqlLexer.Type.PARAMETER;
            }
            String common = summariesDiffer ? null : commonSummary;
            String batchSummary = common == null || common.length() + 6 > MAX_SUMMARY_LENGTH ? "BATCH" : "BATCH " + common;
            return new SqlInfo(sanitized, text, batchSummary, commonStatement, bindMarkers,
                    statements == 1 ? procedure : null);
        }

        /** Handles the token at {@code i}; returns the index of the next token to handle. */
        private int step(int i) {
            Token t = tokens.get(i);
            String text = text(t);
            if (t.type() == SqlLexer.Type.PUNCTUATION && ";".equals(text)) {
                endStatement();
                return i + 1;
            }
            if (statementStart) {
                statementStart = false;
                int next = startStatement(i, text, t);
                if (next >= 0) {
                    return next;
                }
            }
            if (opaque) {
                return i + 1;
            }
            String upper = t.type() == SqlLexer.Type.WORD ? text.toUpperCase(Locale.ROOT) : text;
            if (t.type() == SqlLexer.Type.PUNCTUATION) {
                punctuation(i, text);
                previousWord = text;
                return i + 1;
            }
            if (expect != Expect.NOTHING) {
                if (t.type() == SqlLexer.Type.WORD && ("STDIN".equals(upper) || "STDOUT".equals(upper))) {
                    expect = Expect.NOTHING; // COPY t FROM STDIN
                    previousWord = upper;
                    return i + 1;
                }
                if (t.type() == SqlLexer.Type.WORD && TARGET_NOISE.contains(upper)) {
                    previousWord = upper;
                    return i + 1;
                }
                if (t.type() == SqlLexer.Type.WORD || t.type() == SqlLexer.Type.QUOTED_IDENTIFIER) {
                    if (!(t.type() == SqlLexer.Type.WORD && DML.contains(upper))) {
                        return target(i);
                    }
                }
                expect = Expect.NOTHING;
            }
            if (t.type() == SqlLexer.Type.WORD) {
                word(upper, text);
                previousWord = upper;
            } else {
                previousWord = text;
            }
            return i + 1;
        }

        /** Looks at a statement's first token; returns the next index if it consumed tokens, else -1. */
        private int startStatement(int i, String text, Token t) {
            if ("{".equals(text)) {
                // JDBC escape syntax {call f(?)} or {? = call f(?)}: the statement starts after it.
                statementStart = true;
                int j = i + 1;
                if (j + 1 < tokens.size() && "?".equals(text(tokens.get(j))) && "=".equals(text(tokens.get(j + 1)))) {
                    j += 2;
                }
                return j;
            }
            statements++;
            if (t.type() != SqlLexer.Type.WORD) {
                if (!"(".equals(text)) {
                    opaque = true; // garbage: record nothing for this statement
                }
                return -1;
            }
            String upper = text.toUpperCase(Locale.ROOT);
            if (DML_START.contains(upper)) {
                return -1;
            }
            return switch (upper) {
                case "CREATE", "ALTER", "DROP" -> ddl(i, text);
                case "TRUNCATE", "LOCK", "COPY", "CALL" -> {
                    operation(text);
                    expect = Expect.TARGET;
                    fromListDepth = upper.equals("TRUNCATE") ? levels.size() : -1;
                    expectProcedure = upper.equals("CALL");
                    previousWord = upper;
                    yield i + 1;
                }
                default -> {
                    // SET, SHOW, BEGIN, COMMIT, GRANT, VACUUM, DO ...: the keyword alone, rest unparsed.
                    operation(text);
                    opaque = true;
                    yield i + 1;
                }
            };
        }

        /**
         * {@code CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] name ...} and ALTER/DROP likewise;
         * {@code verb} as written.
         */
        private int ddl(int i, String verb) {
            int j = i + 1;
            while (j < tokens.size() && isWord(j) && CREATE_MODIFIERS.contains(upper(j))) {
                j++;
            }
            String kind = null;
            String kindAsWritten = null;
            if (j < tokens.size() && isWord(j)) {
                kind = upper(j);
                kindAsWritten = text(tokens.get(j));
                j++;
                if ("MATERIALIZED".equals(kind) || "FOREIGN".equals(kind)) {
                    if (j < tokens.size() && isWord(j)) {
                        kind = kind + " " + upper(j);
                        kindAsWritten = kindAsWritten + " " + text(tokens.get(j));
                        j++;
                    }
                }
            }
            operation(kind == null ? verb : verb + " " + kindAsWritten);
            boolean parseRest = "CREATE".equalsIgnoreCase(verb)
                    && ("TABLE".equals(kind) || "VIEW".equals(kind) || "MATERIALIZED VIEW".equals(kind));
            while (j < tokens.size() && isWord(j) && TARGET_NOISE.contains(upper(j))) {
                j++;
            }
            if ("INDEX".equals(kind) && j < tokens.size() && isWord(j) && "ON".equals(upper(j))) {
                j++; // CREATE INDEX ON t (...) has no index name: the table is the target
            }
            if (j < tokens.size() && (isWord(j) || tokens.get(j).type() == SqlLexer.Type.QUOTED_IDENTIFIER)) {
                j = qualifiedName(j, true);
            }
            opaque = !parseRest;
            previousWord = "";
            return j;
        }

        private void punctuation(int i, String text) {
            switch (text) {
                case "(" -> {
                    levels.push(opensQuery(i + 1));
                    expect = Expect.NOTHING;
                }
                case ")" -> {
                    if (!levels.isEmpty()) {
                        levels.pop();
                    }
                    if (fromListDepth > levels.size()) {
                        fromListDepth = -1;
                    }
                    expect = Expect.NOTHING;
                }
                case "," -> {
                    if (fromListDepth == levels.size()) {
                        expect = Expect.TARGET_NOT_FUNCTION;
                    }
                }
                case ".", "*" -> {
                    // a qualified name or a star: what is expected stays
                }
                default -> expect = Expect.NOTHING;
            }
        }

        private boolean opensQuery(int next) {
            if (next >= tokens.size() || !isWord(next)) {
                return false;
            }
            String word = upper(next);
            return DML.contains(word) || "WITH".equals(word) || "VALUES".equals(word);
        }

        private void word(String upper, String asWritten) {
            boolean queryLevel = levels.isEmpty() || levels.peek();
            if (DML.contains(upper) && !NOT_AN_OPERATION_AFTER.contains(previousWord)) {
                operation(asWritten);
                fromListDepth = -1;
                if ("UPDATE".equals(upper)) {
                    expect = Expect.TARGET;
                }
                return;
            }
            if (FROM_LIST_END.contains(upper) && fromListDepth == levels.size()) {
                fromListDepth = -1;
            }
            if (!queryLevel) {
                return;
            }
            switch (upper) {
                case "FROM" -> {
                    if (!"DISTINCT".equals(previousWord)) { // IS DISTINCT FROM
                        expect = Expect.TARGET_NOT_FUNCTION;
                        fromListDepth = levels.size();
                    }
                }
                case "JOIN", "USING" -> expect = Expect.TARGET_NOT_FUNCTION;
                case "INTO" -> expect = Expect.TARGET;
                case "EXPLAIN" -> operation(asWritten);
                default -> {
                    // any other keyword changes nothing
                }
            }
        }

        /** Reads a (possibly schema-qualified) table name at {@code i} as a target. */
        private int target(int i) {
            boolean functionsExcluded = expect == Expect.TARGET_NOT_FUNCTION;
            expect = Expect.NOTHING;
            int end = qualifiedName(i, false);
            boolean isFunction = end < tokens.size() && "(".equals(text(tokens.get(end)));
            if (!(functionsExcluded && isFunction)) {
                String name = name(i, end);
                append(name);
                if (expectProcedure && procedure == null) {
                    procedure = name;
                }
            }
            expectProcedure = false;
            previousWord = "";
            return end;
        }

        /** Returns the index after {@code a.b.c} starting at {@code i}; appends it when asked. */
        private int qualifiedName(int i, boolean appendIt) {
            int end = i + 1;
            while (end + 1 < tokens.size() && ".".equals(text(tokens.get(end)))
                    && (isWord(end + 1) || tokens.get(end + 1).type() == SqlLexer.Type.QUOTED_IDENTIFIER)) {
                end += 2;
            }
            if (appendIt) {
                append(name(i, end));
            }
            return end;
        }

        /** The tokens {@code [from, to)} joined without the whitespace or comments between them. */
        private String name(int from, int to) {
            StringBuilder name = new StringBuilder();
            for (int k = from; k < to; k++) {
                name.append(text(tokens.get(k)));
            }
            return name.toString();
        }

        private void operation(String name) {
            append(name);
        }

        private void append(String part) {
            if (statementSummary.length() > 0) {
                statementSummary.append(' ');
            }
            statementSummary.append(part);
            if (summaryFull) {
                return;
            }
            int needed = part.length() + (summary.length() == 0 ? 0 : 1);
            if (summary.length() + needed > MAX_SUMMARY_LENGTH) {
                summaryFull = true; // cut between tokens, and keep later parts out too
                return;
            }
            if (summary.length() > 0) {
                summary.append(' ');
            }
            summary.append(part);
        }

        private void endStatement() {
            if (statementSummary.length() > 0) {
                String s = statementSummary.toString();
                if (commonSummary == null) {
                    commonSummary = s;
                } else if (!commonSummary.equals(s)) {
                    summariesDiffer = true;
                }
            }
            statementSummary.setLength(0);
            statementStart = true;
            opaque = false;
            expectProcedure = false;
            expect = Expect.NOTHING;
            fromListDepth = -1;
            levels.clear();
            previousWord = "";
        }

        private String text(Token t) {
            return sql.substring(t.start(), t.end());
        }

        private boolean isWord(int i) {
            return tokens.get(i).type() == SqlLexer.Type.WORD;
        }

        private String upper(int i) {
            return text(tokens.get(i)).toUpperCase(Locale.ROOT);
        }
    }
}
