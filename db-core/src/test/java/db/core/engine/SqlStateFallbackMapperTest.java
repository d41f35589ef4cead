package db.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.AuthenticationException;
import db.api.BadSqlException;
import db.api.CheckViolationException;
import db.api.ConnectionException;
import db.api.ConnectionRejectedException;
import db.api.DataAccessException;
import db.api.DataException;
import db.api.DeadlockDetectedException;
import db.api.DuplicateKeyException;
import db.api.ExclusionViolationException;
import db.api.ForeignKeyViolationException;
import db.api.IncorrectResultSizeException;
import db.api.IntegrityViolationException;
import db.api.LockNotAvailableException;
import db.api.NotNullViolationException;
import db.api.PermissionDeniedException;
import db.api.QueryCanceledException;
import db.api.QueryTimeoutException;
import db.api.ResourceExhaustedException;
import db.api.SerializationFailureException;
import db.api.SystemErrorException;
import db.api.TransactionOutcomeUnknownException;
import db.api.TransactionStateException;
import db.api.TransientDataAccessException;
import db.api.UncategorizedDataAccessException;
import db.api.spi.ErrorContext;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fallback mapper with hand-made {@link SQLException}s: values, not a database mock. The
 * expected families are written out here, independently of {@link db.api.spi.SqlStateFamily}.
 */
class SqlStateFallbackMapperTest {

    private static final String SECRET = "alice@example.com";

    private final SqlStateFallbackMapper mapper = new SqlStateFallbackMapper();

    private static final Map<String, Class<? extends DataAccessException>> NAMES = Map.ofEntries(
            Map.entry("DuplicateKey", DuplicateKeyException.class),
            Map.entry("ForeignKey", ForeignKeyViolationException.class),
            Map.entry("NotNull", NotNullViolationException.class),
            Map.entry("Check", CheckViolationException.class),
            Map.entry("Exclusion", ExclusionViolationException.class),
            Map.entry("Integrity", IntegrityViolationException.class),
            Map.entry("Serialization", SerializationFailureException.class),
            Map.entry("Deadlock", DeadlockDetectedException.class),
            Map.entry("Lock", LockNotAvailableException.class),
            Map.entry("Canceled", QueryCanceledException.class),
            Map.entry("Connection", ConnectionException.class),
            Map.entry("Transient", TransientDataAccessException.class),
            Map.entry("BadSql", BadSqlException.class),
            Map.entry("Permission", PermissionDeniedException.class),
            Map.entry("Authentication", AuthenticationException.class),
            Map.entry("Data", DataException.class),
            Map.entry("TxState", TransactionStateException.class),
            Map.entry("Resource", ResourceExhaustedException.class),
            Map.entry("ResultSize", IncorrectResultSizeException.class),
            Map.entry("Rejected", ConnectionRejectedException.class),
            Map.entry("OutcomeUnknown", TransactionOutcomeUnknownException.class),
            Map.entry("System", SystemErrorException.class),
            Map.entry("Uncategorized", UncategorizedDataAccessException.class));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "23505, DuplicateKey", "23503, ForeignKey", "23001, ForeignKey", "23502, NotNull", "23514, Check",
        "23P01, Exclusion", "23000, Integrity", "27000, Integrity", "44000, Integrity",
        "40001, Serialization", "40P01, Deadlock", "55P03, Lock", "57014, Canceled",
        "08000, Connection", "08001, Connection", "08003, Connection", "08006, Connection", "08S01, Connection",
        "08P01, BadSql", "08004, Rejected", "08007, OutcomeUnknown", "57P01, Connection", "57P02, Connection",
        "57P03, Connection", "57P04, Rejected", "57P05, Connection", "25P03, Connection", "53300, Connection", "57000, Transient", "72000, Transient",
        "42601, BadSql", "42P01, BadSql", "42703, BadSql", "26000, BadSql", "34000, BadSql", "3F000, BadSql",
        "3D000, BadSql", "0A000, BadSql", "07006, BadSql", "0100E, BadSql", "02000, BadSql", "2BP01, BadSql",
        "42501, Permission", "28000, Authentication", "28P01, Authentication",
        "22000, Data", "22P02, Data", "22012, Data", "21000, Data", "20000, Data",
        "25000, TxState", "25006, TxState", "25P02, TxState", "2D000, TxState", "3B001, TxState",
        "40000, TxState", "40002, TxState", "40003, TxState", "0B000, TxState", "24000, TxState",
        "55000, TxState", "55006, TxState",
        "53000, Resource", "53100, Resource", "53200, Resource", "53400, Resource", "54000, Resource",
        "54001, Resource", "P0002, ResultSize", "P0003, ResultSize",
        "P0001, Uncategorized", "P0004, Uncategorized", "XX000, Uncategorized", "58030, System", "58000, System", "58P01, System", "58P02, System",
        "HV000, Uncategorized", "F0000, Uncategorized", "38000, Uncategorized", "39000, Uncategorized",
        "00000, Uncategorized", "01000, Uncategorized", "99999, Uncategorized", "60000, Uncategorized",
        "ZZZZZ, Uncategorized", "abc, Uncategorized",
    })
    void mapsEachClassToItsFamily(String sqlState, String family) {
        SQLException e = new SQLException("ERROR: boom\n  Detail: Key (email)=(" + SECRET + ") already exists.", sqlState);
        DataAccessException mapped = mapper.map(e, ErrorContext.DEFAULT).orElseThrow();
        assertThat(mapped).isExactlyInstanceOf(NAMES.get(family));
        assertThat(mapped.sqlState()).isEqualTo(sqlState);
        assertThat(mapped.getCause()).isSameAs(e);
        assertThat(mapped.getMessage()).contains(sqlState).contains("java.sql.SQLException").doesNotContain(SECRET);
        assertThat(mapped.toString()).doesNotContain(SECRET);
    }

    @Test
    void lowerCaseStatesMapLikeUpperCase() {
        assertThat(mapper.map(new SQLException("x", "23p01"), ErrorContext.DEFAULT).orElseThrow())
                .isExactlyInstanceOf(ExclusionViolationException.class);
    }

    @Test
    void retryabilityFollowsTheFamily() {
        assertThat(map("40001").isRetryable()).isTrue();
        assertThat(map("40P01").isRetryable()).isTrue();
        assertThat(map("55P03").isRetryable()).isTrue();
        assertThat(map("08006").isRetryable()).isTrue();
        assertThat(map("53300").isRetryable()).isTrue();
        assertThat(map("23505").isRetryable()).isFalse();
        assertThat(map("57014").isRetryable()).isFalse();
        assertThat(map("42601").isRetryable()).isFalse();
        assertThat(map("25P02").isRetryable()).isFalse();
        // the same failure is never retryable at open and later: credentials, setup, protocol, dropped database
        for (String notRetryable : new String[] {"28000", "28P01", "08004", "08P01", "08007", "57P04", "3D000",
                "22023", "58030"}) {
            assertThat(map(notRetryable).isRetryable()).as(notRetryable).isFalse();
        }
        assertThat(map("25P03").isRetryable()).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "java.sql.SQLTimeoutException, db.api.QueryTimeoutException",
        "java.sql.SQLTransientConnectionException, db.api.ConnectionException",
        "java.sql.SQLNonTransientConnectionException, db.api.ConnectionException",
        "java.sql.SQLRecoverableException, db.api.ConnectionException",
        "java.sql.SQLTransactionRollbackException, db.api.TransientDataAccessException",
        "java.sql.SQLTransientException, db.api.TransientDataAccessException",
        "java.sql.SQLInvalidAuthorizationSpecException, db.api.AuthenticationException",
        "java.sql.SQLIntegrityConstraintViolationException, db.api.IntegrityViolationException",
        "java.sql.SQLDataException, db.api.DataException",
        "java.sql.SQLSyntaxErrorException, db.api.BadSqlException",
        "java.sql.SQLFeatureNotSupportedException, db.api.BadSqlException",
    })
    void jdbcSubclassesDecideWhenTheStateSaysNothing(String subclass, String expected) throws Exception {
        SQLException e = Class.forName(subclass).asSubclass(SQLException.class).getConstructor(String.class)
                .newInstance("Connection is closed " + SECRET);
        DataAccessException mapped = mapper.map(e, ErrorContext.DEFAULT).orElseThrow();
        assertThat(mapped.getClass().getName()).isEqualTo(expected);
        assertThat(mapped.getMessage()).doesNotContain(SECRET);
        // wrapped by a pool: still found
        assertThat(mapper.map(new SQLException("pool", null, e), ErrorContext.DEFAULT).orElseThrow().getClass().getName())
                .isEqualTo(expected);
    }

    @Test
    void aKnownStateWinsOverTheSubclass() {
        SQLException e = new java.sql.SQLIntegrityConstraintViolationException("dup", "23505");
        assertThat(mapper.map(e, ErrorContext.DEFAULT).orElseThrow()).isExactlyInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void nullStateIsUncategorizedAndSaysSo() {
        DataAccessException mapped = mapper.map(new SQLException("secret " + SECRET), ErrorContext.DEFAULT).orElseThrow();
        assertThat(mapped).isExactlyInstanceOf(UncategorizedDataAccessException.class);
        assertThat(mapped.sqlState()).isNull();
        assertThat(mapped.getMessage()).isEqualTo("no SQLSTATE (java.sql.SQLException)");
    }

    @Test
    void queryTimeoutThatElapsedIsATimeout() {
        ErrorContext ctx = new ErrorContext(false, Duration.ofMillis(1005), Duration.ofSeconds(1), Duration.ZERO);
        DataAccessException mapped = mapper.map(new SQLException("canceled", "57014"), ctx).orElseThrow();
        assertThat(mapped).isExactlyInstanceOf(QueryTimeoutException.class);
        assertThat(mapped.isRetryable()).isTrue();
    }

    @Test
    void statementTimeoutThatElapsedIsATimeout() {
        ErrorContext ctx = new ErrorContext(false, Duration.ofMillis(250), Duration.ZERO, Duration.ofMillis(200));
        assertThat(mapper.map(new SQLException("canceled", "57014"), ctx).orElseThrow())
                .isExactlyInstanceOf(QueryTimeoutException.class);
    }

    @Test
    void cancelBeforeAnyTimeoutIsACancel() {
        ErrorContext ctx = new ErrorContext(false, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(mapper.map(new SQLException("canceled", "57014"), ctx).orElseThrow())
                .isExactlyInstanceOf(QueryCanceledException.class);
    }

    @Test
    void batchMapsToItsFirstRealCause() {
        SQLException real = new SQLException("duplicate " + SECRET, "23505");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 insert ... " + SECRET, "23505",
                0, new int[0], real);
        batch.setNextException(real);
        DataAccessException mapped = mapper.map(batch, ErrorContext.DEFAULT).orElseThrow();
        assertThat(mapped).isExactlyInstanceOf(DuplicateKeyException.class);
        assertThat(mapped.getCause()).isSameAs(batch);
        assertThat(mapped.getMessage()).isEqualTo("SQLSTATE 23505 (java.sql.SQLException)");
    }

    @Test
    void batchWithoutStateTakesTheNextException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 failed", null, 0, new int[0]);
        batch.setNextException(new SQLException("fk", "23503"));
        assertThat(mapper.map(batch, ErrorContext.DEFAULT).orElseThrow())
                .isExactlyInstanceOf(ForeignKeyViolationException.class);
    }

    @Test
    void stateIsFoundDownTheCauseChain() {
        SQLException wrapper = new SQLException("wrapped", null, new SQLException("deadlock", "40P01"));
        DataAccessException mapped = mapper.map(wrapper, ErrorContext.DEFAULT).orElseThrow();
        assertThat(mapped).isExactlyInstanceOf(DeadlockDetectedException.class);
        assertThat(mapped.getCause()).isSameAs(wrapper);
    }

    @Test
    void cyclicNextExceptionsTerminate() {
        SQLException a = new SQLException("a");
        SQLException b = new SQLException("b");
        a.setNextException(b);
        b.setNextException(a); // setNextException appends; this makes a cycle a -> b -> a
        assertThat(mapper.map(a, ErrorContext.DEFAULT).orElseThrow())
                .isExactlyInstanceOf(UncategorizedDataAccessException.class);
    }

    @Test
    void isTheLastMapper() {
        assertThat(mapper.name()).isEqualTo("sqlstate-class");
        assertThat(mapper.priority()).isEqualTo(Integer.MIN_VALUE);
    }

    private DataAccessException map(String sqlState) {
        return mapper.map(new SQLException("x", sqlState), ErrorContext.DEFAULT).orElseThrow();
    }
}
