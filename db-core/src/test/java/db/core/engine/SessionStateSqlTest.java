package db.core.engine;

import static db.core.engine.SessionStateSql.ADVISORY;
import static db.core.engine.SessionStateSql.ALL;
import static db.core.engine.SessionStateSql.BEGIN;
import static db.core.engine.SessionStateSql.CURSOR;
import static db.core.engine.SessionStateSql.GUC;
import static db.core.engine.SessionStateSql.LISTEN;
import static db.core.engine.SessionStateSql.PREPARED;
import static db.core.engine.SessionStateSql.ROLE;
import static db.core.engine.SessionStateSql.TEMP;
import static org.assertj.core.api.Assertions.assertThat;

import db.core.engine.SessionReset.Policy;
import org.junit.jupiter.api.Test;

class SessionStateSqlTest {

    @Test
    void statementsThatLeaveSessionState() {
        assertThat(SessionStateSql.classify("SET search_path TO app, public")).isEqualTo(GUC);
        assertThat(SessionStateSql.classify("set session statement_timeout = 5")).isEqualTo(GUC);
        assertThat(SessionStateSql.classify("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")).isEqualTo(GUC);
        assertThat(SessionStateSql.classify("RESET work_mem")).isEqualTo(GUC);
        assertThat(SessionStateSql.classify("DISCARD ALL")).isEqualTo(GUC);
        assertThat(SessionStateSql.classify("SET ROLE admin")).isEqualTo(ROLE);
        assertThat(SessionStateSql.classify("set session role admin")).isEqualTo(ROLE);
        assertThat(SessionStateSql.classify("SET SESSION AUTHORIZATION bob")).isEqualTo(ROLE);
        assertThat(SessionStateSql.classify("RESET ROLE")).isEqualTo(ROLE);
        assertThat(SessionStateSql.classify("select set_config('app.user', ?, false)")).isEqualTo(GUC);
        assertThat(SessionStateSql.classify("LISTEN jobs")).isEqualTo(LISTEN);
        assertThat(SessionStateSql.classify("CREATE TEMP TABLE t (x int)")).isEqualTo(TEMP);
        assertThat(SessionStateSql.classify("create local temporary table t (x int)")).isEqualTo(TEMP);
        assertThat(SessionStateSql.classify("CREATE TABLE pg_temp.t (x int)")).isEqualTo(TEMP);
        assertThat(SessionStateSql.classify("select * into temp t from items")).isEqualTo(TEMP);
        assertThat(SessionStateSql.classify("SELECT pg_advisory_lock(42)")).isEqualTo(ADVISORY);
        assertThat(SessionStateSql.classify("select pg_try_advisory_lock_shared(1, 2)")).isEqualTo(ADVISORY);
        assertThat(SessionStateSql.classify("PREPARE q AS select 1")).isEqualTo(PREPARED);
        assertThat(SessionStateSql.classify("DECLARE c CURSOR WITH HOLD FOR select 1")).isEqualTo(CURSOR);
        assertThat(SessionStateSql.classify("DO $$ begin perform 1; end $$")).isEqualTo(ALL);
        assertThat(SessionStateSql.classify("BEGIN")).isEqualTo(BEGIN);
        assertThat(SessionStateSql.classify("start transaction isolation level serializable")).isEqualTo(BEGIN);
    }

    @Test
    void statementsThatLeaveNone() {
        assertThat(SessionStateSql.classify("SET LOCAL search_path TO app")).isZero();
        assertThat(SessionStateSql.classify("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isZero();
        assertThat(SessionStateSql.classify("SET CONSTRAINTS ALL DEFERRED")).isZero();
        assertThat(SessionStateSql.classify("select pg_advisory_xact_lock(42)")).isZero();
        assertThat(SessionStateSql.classify("update t set x = 1")).isZero();
        assertThat(SessionStateSql.classify("select 'SET ROLE admin', \"listen\" from t -- set role x")).isZero();
        assertThat(SessionStateSql.classify("/* SET ROLE admin */ select $q$ LISTEN x $q$")).isZero();
        assertThat(SessionStateSql.classify("select temp from weather")).isZero();
        assertThat(SessionStateSql.classify("DECLARE c CURSOR FOR select 1")).isZero();
        assertThat(SessionStateSql.classify("PREPARE TRANSACTION 'x'")).isZero();
        assertThat(SessionStateSql.classify("insert into t values ($1, E'it''s \\' SET ROLE')")).isZero();
        assertThat(SessionStateSql.classify("")).isZero();
    }

    @Test
    void anExplicitBeginIsSeenUnderEveryPolicy() {
        assertThat(SessionStateSql.opensTransaction("  /* c */ begin isolation level serializable")).isEqualTo(BEGIN);
        assertThat(SessionStateSql.opensTransaction("select 1; START TRANSACTION")).isEqualTo(BEGIN);
        assertThat(SessionStateSql.opensTransaction("select 'begin'")).isZero();
        assertThat(SessionStateSql.opensTransaction("set role x")).isZero();
    }

    @Test
    void everyStatementOfAMultiStatementTextCounts() {
        assertThat(SessionStateSql.classify("select 1; set search_path to x; listen y"))
                .isEqualTo(GUC | LISTEN);
    }

    @Test
    void theResetIsThePreciseSubset() {
        SessionReset auto = new SessionReset(Policy.AUTO);
        assertThat(auto.sql(0)).isNull();
        assertThat(auto.sql(GUC)).isEqualTo("RESET ALL;");
        assertThat(auto.sql(ROLE | LISTEN)).isEqualTo("SET SESSION AUTHORIZATION DEFAULT;RESET ROLE;UNLISTEN *;");
        assertThat(auto.undoesBaseline(TEMP)).isFalse();
        assertThat(auto.undoesBaseline(ROLE)).isTrue();
        assertThat(new SessionReset(Policy.ALWAYS).sql(0)).contains("RESET ALL", "DISCARD TEMP", "DEALLOCATE ALL",
                "UNLISTEN *", "pg_advisory_unlock_all", "CLOSE ALL", "DISCARD SEQUENCES");
        assertThat(new SessionReset(Policy.NEVER).sql(ALL)).isNull();
    }

    @Test
    void onlyAutoClassifiesEveryKindTheOthersLookForBeginOnly() {
        String sql = "SET search_path = x; BEGIN";
        assertThat(new SessionReset(Policy.AUTO).classify(sql)).isEqualTo(GUC | BEGIN);
        assertThat(new SessionReset(Policy.ALWAYS).classify(sql)).isEqualTo(BEGIN);
        assertThat(new SessionReset(Policy.NEVER).classify(sql)).isEqualTo(BEGIN);
        assertThat(new SessionReset(Policy.NEVER).classify("SET search_path = x")).isZero();
    }

    @Test
    void aTextIsClassifiedTheSameFromTheCache() {
        SessionReset auto = new SessionReset(Policy.AUTO);
        String sql = "select pg_advisory_lock(1)";
        assertThat(auto.classify(sql)).isEqualTo(ADVISORY);
        assertThat(auto.classify(new String(sql.toCharArray()))).isEqualTo(ADVISORY);
    }
}
