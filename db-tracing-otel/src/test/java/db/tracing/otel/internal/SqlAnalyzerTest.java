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
                // sql, summary (keywords as written)
                Arguments.of("SELECT * FROM users WHERE id = ?", "SELECT users"),
                Arguments.of("select * from users where id = 1", "select users"),
                Arguments.of("Select * From users", "Select users"),
                Arguments.of("create table if not exists Orders (id int)", "create table Orders"),
                Arguments.of("Insert Into t Select * From u", "Insert t Select u"),
                Arguments.of("SELECT 1", "SELECT"),
                Arguments.of("SELECT * FROM songs, artists WHERE songs.artist_id = artists.id",
                        "SELECT songs artists"),
                Arguments.of("SELECT * FROM songs s, artists AS a", "SELECT songs artists"),
                Arguments.of("SELECT o.id FROM orders o JOIN customers c ON o.customer_id = c.id "
                        + "LEFT OUTER JOIN regions r USING (region_id)", "SELECT orders customers regions"),
                Arguments.of("SELECT order_date FROM (SELECT * FROM orders o JOIN customers c "
                        + "ON o.customer_id = c.customer_id) t", "SELECT SELECT orders customers"),
                Arguments.of("INSERT INTO shipping_details (order_id, address) SELECT order_id, address "
                        + "FROM orders WHERE order_id = ?", "INSERT shipping_details SELECT orders"),
                Arguments.of("INSERT INTO orders (id, total) VALUES (?, ?)", "INSERT orders"),
                Arguments.of("INSERT INTO t (a) VALUES ('x') ON CONFLICT (a) DO UPDATE SET a = excluded.a",
                        "INSERT t"),
                Arguments.of("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pk DO NOTHING",
                        "INSERT t"),
                Arguments.of("UPDATE accounts SET balance = balance - ? WHERE id = ?", "UPDATE accounts"),
                Arguments.of("UPDATE ONLY accounts a SET x = s.x FROM staging s WHERE a.id = s.id",
                        "UPDATE accounts staging"),
                Arguments.of("DELETE FROM sessions WHERE expires < now()", "DELETE sessions"),
                Arguments.of("DELETE FROM a USING b WHERE a.id = b.id", "DELETE a b"),
                Arguments.of("SELECT * FROM public.users", "SELECT public.users"),
                Arguments.of("SELECT * FROM \"Order Items\" oi", "SELECT \"Order Items\""),
                Arguments.of("SELECT * FROM app.\"User\" u", "SELECT app.\"User\""),
                Arguments.of("SELECT id::int, '5'::numeric(10,2) FROM t", "SELECT t"),
                Arguments.of("SELECT EXTRACT(YEAR FROM created_at) FROM events", "SELECT events"),
                Arguments.of("SELECT substring(name FROM 1 FOR 3) FROM people", "SELECT people"),
                Arguments.of("SELECT * FROM a WHERE x IS DISTINCT FROM y", "SELECT a"),
                Arguments.of("SELECT * FROM generate_series(1, 10) g", "SELECT"),
                Arguments.of("WITH recent AS (SELECT * FROM orders WHERE created > now() - interval '1 day') "
                        + "SELECT * FROM recent", "SELECT orders SELECT recent"),
                Arguments.of("WITH moved AS (DELETE FROM queue RETURNING *) INSERT INTO archive SELECT * FROM moved",
                        "DELETE queue INSERT archive SELECT moved"),
                Arguments.of("SELECT * FROM jobs WHERE state = 'new' FOR UPDATE SKIP LOCKED", "SELECT jobs"),
                Arguments.of("SELECT * FROM jobs FOR NO KEY UPDATE", "SELECT jobs"),
                Arguments.of("SELECT a FROM x UNION ALL SELECT b FROM y", "SELECT x SELECT y"),
                Arguments.of("SELECT * FROM t WHERE id IN (SELECT id FROM u)", "SELECT t SELECT u"),
                Arguments.of("MERGE INTO stock s USING deliveries d ON s.id = d.id "
                        + "WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty "
                        + "WHEN NOT MATCHED THEN INSERT (id, qty) VALUES (d.id, d.qty)", "MERGE stock deliveries"),
                Arguments.of("CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, "
                        + "customer bigint REFERENCES customers ON DELETE CASCADE)", "CREATE TABLE orders"),
                Arguments.of("CREATE TEMP TABLE t AS SELECT * FROM s", "CREATE TABLE t SELECT s"),
                Arguments.of("CREATE UNIQUE INDEX CONCURRENTLY idx ON t (a)", "CREATE INDEX idx"),
                Arguments.of("CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 FROM secret $$ "
                        + "LANGUAGE sql", "CREATE FUNCTION f"),
                Arguments.of("DROP TABLE IF EXISTS old_orders", "DROP TABLE old_orders"),
                Arguments.of("ALTER TABLE orders ADD COLUMN note text", "ALTER TABLE orders"),
                Arguments.of("TRUNCATE TABLE a, b", "TRUNCATE a b"),
                Arguments.of("COPY items (a, b) FROM STDIN WITH (FORMAT csv)", "COPY items"),
                Arguments.of("CALL transfer(?, ?, ?)", "CALL transfer"),
                Arguments.of("{call transfer(?, ?)}", "call transfer"),
                Arguments.of("{? = call accounts.balance(?)}", "call accounts.balance"),
                Arguments.of("{", null),
                Arguments.of("EXPLAIN ANALYZE SELECT * FROM t", "EXPLAIN SELECT t"),
                Arguments.of("SET search_path TO app", "SET"),
                Arguments.of("begin", "begin"),
                Arguments.of("GRANT SELECT, INSERT ON t TO bob", "GRANT"),
                Arguments.of("/* leading */ -- comment\n SELECT * FROM /* x */ t", "SELECT t"),
                Arguments.of("SELECT 'FROM secret' FROM t", "SELECT t"),
                Arguments.of("SELECT $tag$ DELETE FROM x $tag$ FROM t", "SELECT t"),
                Arguments.of("SELECT 1; SELECT 2", "SELECT SELECT"),
                Arguments.of("(SELECT a FROM x) UNION (SELECT b FROM y)", "SELECT x SELECT y"),
                Arguments.of("SELECT * FROM a NATURAL JOIN b CROSS JOIN LATERAL f(a.x) z", "SELECT a b"),
                Arguments.of("SELECT * FROM t1, LATERAL (SELECT * FROM t2 WHERE t2.id = t1.id) x",
                        "SELECT t1 SELECT t2"),
                Arguments.of("UPDATE t SET x = (SELECT max(y) FROM u)", "UPDATE t SELECT u"),
                Arguments.of("WITH a AS (SELECT 1), b AS (SELECT * FROM c) SELECT * FROM a, b",
                        "SELECT SELECT c SELECT a b"),
                Arguments.of("SELECT * FROM users WHERE email = ANY(?::text[])", "SELECT users"),
                Arguments.of("SELECT * FROM \"weird\"\"name\" w", "SELECT \"weird\"\"name\""),
                Arguments.of("", null),
                Arguments.of("   ", null),
                Arguments.of("VALUES (1)", null));
    }

    @ParameterizedTest
    @MethodSource("summaries")
    void summarizes(String sql, String summary) {
        SqlInfo info = SqlAnalyzer.analyze(sql);
        assertThat(info.summary()).as("summary of %s", sql).isEqualTo(summary);
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
    void batchOfIdenticalStatementsSharesOneSummaryAndOneText() {
        SqlInfo info = SqlAnalyzer.analyze("INSERT INTO a VALUES (1); INSERT INTO a VALUES ('two')");
        assertThat(info.batchSummary()).isEqualTo("BATCH INSERT a");
        assertThat(info.commonStatement()).isEqualTo("INSERT INTO a VALUES (?)");
        SqlInfo mixed = SqlAnalyzer.analyze("INSERT INTO a VALUES (1); UPDATE b SET x = 1");
        assertThat(mixed.batchSummary()).isEqualTo("BATCH");
        assertThat(mixed.commonStatement()).isNull();
        SqlInfo sameSummaryOtherText = SqlAnalyzer.analyze("INSERT INTO a VALUES (1); INSERT INTO a (x) VALUES (2)");
        assertThat(sameSummaryOtherText.batchSummary()).isEqualTo("BATCH INSERT a");
        assertThat(sameSummaryOtherText.commonStatement()).isNull();
        assertThat(SqlAnalyzer.analyze("INSERT INTO a VALUES (1)").commonStatement()).isNull();
        // a typo is no operation name any more: the summary is what the application wrote
        assertThat(SqlAnalyzer.analyze("SELEC 1").summary()).isEqualTo("SELEC");
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
