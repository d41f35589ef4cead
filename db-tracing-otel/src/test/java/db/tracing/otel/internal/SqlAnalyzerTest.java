package db.tracing.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlAnalyzerTest {

    static Stream<Arguments> summaries() {
        return Stream.of(
                // sql, summary, operation name
                Arguments.of("SELECT * FROM users WHERE id = ?", "SELECT users", "SELECT"),
                Arguments.of("select * from users where id = 1", "SELECT users", "SELECT"),
                Arguments.of("SELECT 1", "SELECT", "SELECT"),
                Arguments.of("SELECT * FROM songs, artists WHERE songs.artist_id = artists.id",
                        "SELECT songs artists", "SELECT"),
                Arguments.of("SELECT * FROM songs s, artists AS a", "SELECT songs artists", "SELECT"),
                Arguments.of("SELECT o.id FROM orders o JOIN customers c ON o.customer_id = c.id "
                        + "LEFT OUTER JOIN regions r USING (region_id)", "SELECT orders customers regions", "SELECT"),
                Arguments.of("SELECT order_date FROM (SELECT * FROM orders o JOIN customers c "
                        + "ON o.customer_id = c.customer_id) t", "SELECT SELECT orders customers", "SELECT"),
                Arguments.of("INSERT INTO shipping_details (order_id, address) SELECT order_id, address "
                        + "FROM orders WHERE order_id = ?", "INSERT shipping_details SELECT orders", "INSERT"),
                Arguments.of("INSERT INTO orders (id, total) VALUES (?, ?)", "INSERT orders", "INSERT"),
                Arguments.of("INSERT INTO t (a) VALUES ('x') ON CONFLICT (a) DO UPDATE SET a = excluded.a",
                        "INSERT t", "INSERT"),
                Arguments.of("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pk DO NOTHING",
                        "INSERT t", "INSERT"),
                Arguments.of("UPDATE accounts SET balance = balance - ? WHERE id = ?", "UPDATE accounts", "UPDATE"),
                Arguments.of("UPDATE ONLY accounts a SET x = s.x FROM staging s WHERE a.id = s.id",
                        "UPDATE accounts staging", "UPDATE"),
                Arguments.of("DELETE FROM sessions WHERE expires < now()", "DELETE sessions", "DELETE"),
                Arguments.of("DELETE FROM a USING b WHERE a.id = b.id", "DELETE a b", "DELETE"),
                Arguments.of("SELECT * FROM public.users", "SELECT public.users", "SELECT"),
                Arguments.of("SELECT * FROM \"Order Items\" oi", "SELECT \"Order Items\"", "SELECT"),
                Arguments.of("SELECT * FROM app.\"User\" u", "SELECT app.\"User\"", "SELECT"),
                Arguments.of("SELECT id::int, '5'::numeric(10,2) FROM t", "SELECT t", "SELECT"),
                Arguments.of("SELECT EXTRACT(YEAR FROM created_at) FROM events", "SELECT events", "SELECT"),
                Arguments.of("SELECT substring(name FROM 1 FOR 3) FROM people", "SELECT people", "SELECT"),
                Arguments.of("SELECT * FROM a WHERE x IS DISTINCT FROM y", "SELECT a", "SELECT"),
                Arguments.of("SELECT * FROM generate_series(1, 10) g", "SELECT", "SELECT"),
                Arguments.of("WITH recent AS (SELECT * FROM orders WHERE created > now() - interval '1 day') "
                        + "SELECT * FROM recent", "SELECT orders SELECT recent", "SELECT"),
                Arguments.of("WITH moved AS (DELETE FROM queue RETURNING *) INSERT INTO archive SELECT * FROM moved",
                        "DELETE queue INSERT archive SELECT moved", "INSERT"),
                Arguments.of("SELECT * FROM jobs WHERE state = 'new' FOR UPDATE SKIP LOCKED", "SELECT jobs", "SELECT"),
                Arguments.of("SELECT * FROM jobs FOR NO KEY UPDATE", "SELECT jobs", "SELECT"),
                Arguments.of("SELECT a FROM x UNION ALL SELECT b FROM y", "SELECT x SELECT y", "SELECT"),
                Arguments.of("SELECT * FROM t WHERE id IN (SELECT id FROM u)", "SELECT t SELECT u", "SELECT"),
                Arguments.of("MERGE INTO stock s USING deliveries d ON s.id = d.id "
                        + "WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty "
                        + "WHEN NOT MATCHED THEN INSERT (id, qty) VALUES (d.id, d.qty)", "MERGE stock deliveries",
                        "MERGE"),
                Arguments.of("CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, "
                        + "customer bigint REFERENCES customers ON DELETE CASCADE)", "CREATE TABLE orders",
                        "CREATE TABLE"),
                Arguments.of("CREATE TEMP TABLE t AS SELECT * FROM s", "CREATE TABLE t SELECT s", "CREATE TABLE"),
                Arguments.of("CREATE UNIQUE INDEX CONCURRENTLY idx ON t (a)", "CREATE INDEX idx", "CREATE INDEX"),
                Arguments.of("CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 FROM secret $$ "
                        + "LANGUAGE sql", "CREATE FUNCTION f", "CREATE FUNCTION"),
                Arguments.of("DROP TABLE IF EXISTS old_orders", "DROP TABLE old_orders", "DROP TABLE"),
                Arguments.of("ALTER TABLE orders ADD COLUMN note text", "ALTER TABLE orders", "ALTER TABLE"),
                Arguments.of("TRUNCATE TABLE a, b", "TRUNCATE a b", "TRUNCATE"),
                Arguments.of("COPY items (a, b) FROM STDIN WITH (FORMAT csv)", "COPY items", "COPY"),
                Arguments.of("CALL transfer(?, ?, ?)", "CALL transfer", "CALL"),
                Arguments.of("{call transfer(?, ?)}", "CALL transfer", "CALL"),
                Arguments.of("{? = call accounts.balance(?)}", "CALL accounts.balance", "CALL"),
                Arguments.of("{", null, null),
                Arguments.of("EXPLAIN ANALYZE SELECT * FROM t", "EXPLAIN SELECT t", "EXPLAIN"),
                Arguments.of("SET search_path TO app", "SET", "SET"),
                Arguments.of("begin", "BEGIN", "BEGIN"),
                Arguments.of("GRANT SELECT, INSERT ON t TO bob", "GRANT", "GRANT"),
                Arguments.of("/* leading */ -- comment\n SELECT * FROM /* x */ t", "SELECT t", "SELECT"),
                Arguments.of("SELECT 'FROM secret' FROM t", "SELECT t", "SELECT"),
                Arguments.of("SELECT $tag$ DELETE FROM x $tag$ FROM t", "SELECT t", "SELECT"),
                Arguments.of("SELECT 1; SELECT 2", "SELECT SELECT", null),
                Arguments.of("(SELECT a FROM x) UNION (SELECT b FROM y)", "SELECT x SELECT y", "SELECT"),
                Arguments.of("SELECT * FROM a NATURAL JOIN b CROSS JOIN LATERAL f(a.x) z", "SELECT a b", "SELECT"),
                Arguments.of("SELECT * FROM t1, LATERAL (SELECT * FROM t2 WHERE t2.id = t1.id) x",
                        "SELECT t1 SELECT t2", "SELECT"),
                Arguments.of("UPDATE t SET x = (SELECT max(y) FROM u)", "UPDATE t SELECT u", "UPDATE"),
                Arguments.of("WITH a AS (SELECT 1), b AS (SELECT * FROM c) SELECT * FROM a, b",
                        "SELECT SELECT c SELECT a b", "SELECT"),
                Arguments.of("SELECT * FROM users WHERE email = ANY(?::text[])", "SELECT users", "SELECT"),
                Arguments.of("SELECT * FROM \"weird\"\"name\" w", "SELECT \"weird\"\"name\"", "SELECT"),
                Arguments.of("", null, null),
                Arguments.of("   ", null, null),
                Arguments.of("VALUES (1)", null, null));
    }

    @ParameterizedTest
    @MethodSource("summaries")
    void summarizes(String sql, String summary, String operation) {
        SqlInfo info = SqlAnalyzer.analyze(sql);
        assertThat(info.summary()).as("summary of %s", sql).isEqualTo(summary);
        assertThat(info.operationName()).as("operation of %s", sql).isEqualTo(operation);
    }

    static Stream<Arguments> sanitized() {
        return Stream.of(
                Arguments.of("SELECT * FROM users WHERE name = 'alice' AND age > 42",
                        "SELECT * FROM users WHERE name = ? AND age > ?"),
                Arguments.of("SELECT 'it''s', E'a\\'b', e'\\\\'", "SELECT ?, ?, ?"),
                Arguments.of("SELECT $$secret$$, $body$ has 'quotes' and $$ $body$", "SELECT ?, ?"),
                Arguments.of("SELECT B'1010', X'FF', x'00', N'nat', U&'d\\0061t'", "SELECT ?, ?, ?, ?, ?"),
                Arguments.of("SELECT 3.14, .5, 1e10, 2.5E-3, 0x1F, 1_000", "SELECT ?, ?, ?, ?, ?, ?"),
                Arguments.of("SELECT * FROM t WHERE active = true OR deleted = FALSE OR x IS NULL",
                        "SELECT * FROM t WHERE active = ? OR deleted = ? OR x IS NULL"),
                Arguments.of("SELECT '42'::int, x::text FROM t", "SELECT ?::int, x::text FROM t"),
                Arguments.of("SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (?)"),
                Arguments.of("SELECT * FROM t WHERE id NOT IN ('a','b') AND x in (-1)",
                        "SELECT * FROM t WHERE id NOT IN (?) AND x in (?)"),
                Arguments.of("SELECT * FROM t WHERE id IN (SELECT 1)", "SELECT * FROM t WHERE id IN (SELECT ?)"),
                Arguments.of("SELECT /* card 4111 */ 1 -- ssn 123\nFROM t", "SELECT ?\nFROM t"),
                Arguments.of("SELECT /* outer /* nested 'x' */ still comment */ 1", "SELECT ?"),
                Arguments.of("SELECT \"weird \"\"name\"\"\" FROM \"T1\"", "SELECT \"weird \"\"name\"\"\" FROM \"T1\""),
                Arguments.of("SELECT t1.c2, c3 FROM t1", "SELECT t1.c2, c3 FROM t1"),
                Arguments.of("SELECT * FROM t WHERE a = $1 AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = ?"),
                Arguments.of("SELECT interval '1 day', DATE '2024-01-01'", "SELECT interval ?, DATE ?"),
                Arguments.of("SELECT 'unterminated", "SELECT ?"),
                Arguments.of("SELECT $$unterminated", "SELECT ?"),
                Arguments.of("SELECT 1 /* unterminated", "SELECT ?"));
    }

    @ParameterizedTest
    @MethodSource("sanitized")
    void sanitizes(String sql, String expected) {
        assertThat(SqlAnalyzer.analyze(sql).sanitized()).isEqualTo(expected);
    }

    @Test
    void summaryIsCutBetweenTokensAt255Characters() {
        StringBuilder sql = new StringBuilder("SELECT * FROM ");
        for (int i = 0; i < 60; i++) {
            sql.append(i == 0 ? "" : ", ").append("table_number_").append(i);
        }
        String summary = SqlAnalyzer.analyze(sql.toString()).summary();
        assertThat(summary).hasSizeLessThanOrEqualTo(SqlAnalyzer.MAX_SUMMARY_LENGTH)
                .startsWith("SELECT table_number_0 table_number_1 ")
                .matches("SELECT( table_number_\\d+)+");
    }

    @Test
    void procedureOfASingleCall() {
        assertThat(SqlAnalyzer.analyze("CALL app.transfer(?, ?)").procedure()).isEqualTo("app.transfer");
        assertThat(SqlAnalyzer.analyze("{call transfer(?)}").procedure()).isEqualTo("transfer");
        assertThat(SqlAnalyzer.analyze("SELECT transfer(?)").procedure()).isNull();
        assertThat(SqlAnalyzer.analyze("CALL a(); CALL b()").procedure()).isNull();
        assertThat(SqlAnalyzer.analyze("COPY t FROM STDIN").procedure()).isNull();
    }

    @Test
    void batchOfIdenticalStatementsSharesOneSummary() {
        SqlInfo info = SqlAnalyzer.analyze("INSERT INTO a VALUES (1); INSERT INTO a VALUES (2)");
        assertThat(info.commonSummary()).isEqualTo("INSERT a");
        assertThat(info.commonOperation()).isEqualTo("INSERT");
        SqlInfo mixed = SqlAnalyzer.analyze("INSERT INTO a VALUES (1); UPDATE b SET x = 1");
        assertThat(mixed.commonSummary()).isNull();
        assertThat(mixed.commonOperation()).isNull();
    }

    @Test
    void malformedSqlNeverThrows() {
        String[] samples = {"(", ")", ")))(((", "SELECT FROM", "FROM", "INSERT INTO", "UPDATE", "'", "\"", "$", "$a",
            "$a$", "--", "/*", "E'\\", "U&", "::", "SELECT * FROM t WHERE x IN (", "IN (1,", "CREATE", "DROP TABLE",
            "WITH x AS (", "\u0000\uFFFF", "SELECT .", "1.2.3.e", "x'", "e'"};
        for (String s : samples) {
            assertThatCode(() -> SqlAnalyzer.analyze(s)).as(s).doesNotThrowAnyException();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String alphabet = "SELECT FROM IN ( ) , ' \" $ - / * : ; . 1 e E x X U & ? \n \\";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThatCode(() -> SqlAnalyzer.analyze(s)).as(s).doesNotThrowAnyException();
        }
    }

    @Test
    void sanitizedTextKeepsNoLiteral() {
        String sql = "INSERT INTO people (name, ssn, card) VALUES ('Jane Doe', '078-05-1120', 4111111111111111)";
        String sanitized = SqlAnalyzer.analyze(sql).sanitized();
        assertThat(sanitized).doesNotContain("Jane", "078", "4111")
                .isEqualTo("INSERT INTO people (name, ssn, card) VALUES (?, ?, ?)");
    }
}
