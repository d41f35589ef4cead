package db.tracing.otel.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A forgiving PostgreSQL lexer: it splits any text into tokens and never throws, whatever the input
 * (an unterminated string or comment simply runs to the end). It knows just enough of the lexical
 * grammar to tell literals, identifiers and comments apart: single-quoted strings (with the
 * {@code E}, {@code B}, {@code X}, {@code N} and {@code U&} prefixes), dollar-quoted strings, quoted
 * identifiers, numbers, {@code --} and nested block comments, {@code $1} and {@code ?} parameters.
 */
final class SqlLexer {

    /** The kinds of token. */
    enum Type {
        /** Spaces, tabs, newlines. */
        WHITESPACE,
        /** A {@code --} or block comment. */
        COMMENT,
        /** A string literal of any form, including dollar-quoted and bit/hex strings. */
        STRING,
        /** A numeric literal. */
        NUMBER,
        /** A double-quoted identifier. */
        QUOTED_IDENTIFIER,
        /** A keyword or plain identifier. */
        WORD,
        /** A bind parameter: {@code ?} or {@code $1}. */
        PARAMETER,
        /** Any other character, and {@code ::}. */
        PUNCTUATION
    }

    /**
     * One token: a range of the text.
     *
     * @param type  the kind
     * @param start the first character's index
     * @param end   the index after the last character
     */
    record Token(Type type, int start, int end) {
    }

    private final String sql;
    private final int length;
    private int pos;

    private SqlLexer(String sql) {
        this.sql = sql;
        this.length = sql.length();
    }

    /** Splits {@code sql} into tokens, covering every character exactly once. */
    static List<Token> tokenize(String sql) {
        return new SqlLexer(sql).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (pos < length) {
            int start = pos;
            Type type = next();
            if (pos <= start) {
                pos = start + 1; // defensive: always make progress
            }
            tokens.add(new Token(type, start, pos));
        }
        return tokens;
    }

    private Type next() {
        char c = sql.charAt(pos);
        if (Character.isWhitespace(c)) {
            while (pos < length && Character.isWhitespace(sql.charAt(pos))) {
                pos++;
            }
            return Type.WHITESPACE;
        }
        if (c == '-' && peek(1) == '-') {
            while (pos < length && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
                pos++;
            }
            return Type.COMMENT;
        }
        if (c == '/' && peek(1) == '*') {
            blockComment();
            return Type.COMMENT;
        }
        if (c == '\'') {
            quoted('\'', false);
            return Type.STRING;
        }
        if (c == '"') {
            quoted('"', false);
            return Type.QUOTED_IDENTIFIER;
        }
        if (c == '$') {
            return dollar();
        }
        if (c == '?') {
            pos++;
            return Type.PARAMETER;
        }
        if (isDigit(c) || (c == '.' && isDigit(peek(1)) && !afterName())) {
            number();
            return Type.NUMBER;
        }
        if (isIdentifierStart(c)) {
            return word();
        }
        if (c == ':' && peek(1) == ':') {
            pos += 2;
            return Type.PUNCTUATION;
        }
        pos++;
        return Type.PUNCTUATION;
    }

    private Type word() {
        int start = pos;
        // String prefixes: E'..' (escapes), B'..' (bits), X'..' (hex), N'..' (national), U&'..'.
        char first = Character.toUpperCase(sql.charAt(start));
        if (peek(1) == '\'' && (first == 'E' || first == 'B' || first == 'X' || first == 'N')) {
            pos++;
            quoted('\'', first == 'E');
            return Type.STRING;
        }
        if (first == 'U' && peek(1) == '&' && (peek(2) == '\'' || peek(2) == '"')) {
            char quote = peek(2);
            pos += 2;
            quoted(quote, false);
            return quote == '\'' ? Type.STRING : Type.QUOTED_IDENTIFIER;
        }
        pos++;
        while (pos < length && isIdentifierPart(sql.charAt(pos))) {
            pos++;
        }
        return Type.WORD;
    }

    /** Reads from the opening quote at {@code pos} to the closing one; a doubled quote is an escape. */
    private void quoted(char quote, boolean backslashEscapes) {
        pos++;
        while (pos < length) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
                continue;
            }
            pos++;
            if (c == quote) {
                if (pos < length && sql.charAt(pos) == quote) {
                    pos++;
                } else {
                    return;
                }
            }
        }
        pos = length;
    }

    private void blockComment() {
        // PostgreSQL block comments nest.
        int depth = 0;
        while (pos < length) {
            if (sql.charAt(pos) == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else if (sql.charAt(pos) == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
    }

    private Type dollar() {
        int start = pos;
        if (isDigit(peek(1))) {
            pos++;
            while (pos < length && isDigit(sql.charAt(pos))) {
                pos++;
            }
            return Type.PARAMETER;
        }
        // $tag$ ... $tag$ with an optional tag.
        int i = start + 1;
        while (i < length && sql.charAt(i) != '$' && isIdentifierPart(sql.charAt(i)) && sql.charAt(i) != '$') {
            i++;
        }
        if (i < length && sql.charAt(i) == '$' && (i == start + 1 || isIdentifierStart(sql.charAt(start + 1)))) {
            String delimiter = sql.substring(start, i + 1);
            int close = sql.indexOf(delimiter, i + 1);
            pos = close < 0 ? length : close + delimiter.length();
            return Type.STRING;
        }
        pos++;
        return Type.PUNCTUATION;
    }

    private void number() {
        // Digits, a decimal point, an exponent with sign, 0x/0o/0b prefixes and '_' separators.
        while (pos < length) {
            char c = sql.charAt(pos);
            if (isDigit(c) || c == '.' || c == '_' || Character.isLetter(c)) {
                if ((c == 'e' || c == 'E') && (peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))) {
                    pos += 2;
                }
                if (c == '.' && peek(1) == '.') {
                    return; // not part of a number (e.g. array slices 1..2 are not PostgreSQL, but be safe)
                }
                pos++;
            } else {
                return;
            }
        }
    }

    /** Whether the character before {@code pos} ends a name, so that {@code .5} is a qualifier, not a number. */
    private boolean afterName() {
        if (pos == 0) {
            return false;
        }
        char prev = sql.charAt(pos - 1);
        return isIdentifierPart(prev) || prev == '"' || prev == ')' || prev == ']';
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < length ? sql.charAt(i) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '$';
    }
}
