package db.api.spi;

import db.api.AuthenticationException;
import db.api.BadSqlException;
import db.api.CheckViolationException;
import db.api.ConnectionException;
import db.api.ConnectionRejectedException;
import db.api.DataAccessException;
import db.api.DataException;
import db.api.DeadlockDetectedException;
import db.api.DuplicateKeyException;
import db.api.ErrorDetails;
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
import db.api.TlsRejectedException;
import db.api.TransactionStateException;
import db.api.TransientDataAccessException;
import db.api.UncategorizedDataAccessException;
import java.util.Locale;

/**
 * The family a SQLSTATE belongs to, one constant per exception type it becomes. Shared by the
 * core's generic fallback mapper and by {@link ErrorMapper} implementations so that every mapper
 * agrees on where a code lands; a mapper adds what only it knows (names, messages, and whether a
 * {@code 57014} was a timeout).
 *
 * <p>{@link #of(String)} follows the tree in {@code DESIGN.md}: it looks at the whole code first
 * (leaves such as {@code 23505}, and the exceptions to a class rule such as {@code 42501} or
 * {@code 53300}), then at the two-character class. Classes nobody would act on differently
 * ({@code 03}, {@code 09}, {@code 0F}, {@code 38}, {@code 39}, {@code F0}, {@code HV},
 * {@code XX}, most of {@code P0}) are {@link #UNCATEGORIZED} on purpose.
 *
 * <p>Each code was checked against PostgreSQL's own use of it: {@code 08P01} protocol_violation is raised
 * at ERROR for a client bug that repeats (a NUL byte in the SQL text) and leaves the connection usable,
 * so it is {@link #BAD_SQL}; {@code 08004} (pgjdbc: SSL not supported, no password supplied) and
 * {@code 57P04} database_dropped are {@link #CONNECTION_REJECTED}; {@code 08007} is
 * {@link #TRANSACTION_OUTCOME_UNKNOWN}; {@code 25P03} idle_in_transaction_session_timeout ends the
 * session as {@code 57P05} does, so it is {@link #CONNECTION}.
 */
public enum SqlStateFamily {
    /** 23505 unique_violation. */
    DUPLICATE_KEY,
    /** 23503 foreign_key_violation and 23001 restrict_violation. */
    FOREIGN_KEY_VIOLATION,
    /** 23502 not_null_violation. */
    NOT_NULL_VIOLATION,
    /** 23514 check_violation. */
    CHECK_VIOLATION,
    /** 23P01 exclusion_violation. */
    EXCLUSION_VIOLATION,
    /** The rest of class 23, and classes 27 (triggered data change) and 44 (WITH CHECK OPTION). */
    INTEGRITY_VIOLATION,
    /** 40001 serialization_failure. Retryable. */
    SERIALIZATION_FAILURE,
    /** 40P01 deadlock_detected. Retryable. */
    DEADLOCK_DETECTED,
    /** 55P03 lock_not_available ({@code lock_timeout}, {@code NOWAIT}). Retryable. */
    LOCK_NOT_AVAILABLE,
    /** 57014 query_canceled when a timeout fired. Retryable. {@link #of(String)} never answers it. */
    QUERY_TIMEOUT,
    /** 57014 query_canceled as such: somebody cancelled the statement. Not retryable. */
    QUERY_CANCELED,
    /**
     * Class 08 (but 08P01, 08004, 08007), 57P01-57P03 and 57P05 (the server ended the session), 25P03
     * idle_in_transaction_session_timeout, 53300 too_many_connections and pgjdbc's 08S01. Retryable.
     */
    CONNECTION,
    /** 08004 sqlserver_rejected_establishment and 57P04 database_dropped: a new connection fails the same way. */
    CONNECTION_REJECTED,
    /**
     * A permanent TLS failure at connect (untrusted or mismatched server certificate, unusable client key or
     * certificate, a handshake the server refuses, no direct TLS): {@link TlsRejectedException}, SQLSTATE
     * 08004. Not retryable. {@link #of(String)} never answers it; {@link #of(String, Throwable)} does when
     * the engine's TLS verdict (a {@link TlsRejected}) is among the causes.
     */
    TLS_REJECTED,
    /** 08007 transaction_resolution_unknown: whether the transaction committed is unknown. Never retried. */
    TRANSACTION_OUTCOME_UNKNOWN,
    /** Class 58 (system_error, io_error, undefined_file, duplicate_file): outside PostgreSQL itself. */
    SYSTEM_ERROR,
    /**
     * Transient for no more specific reason: the rest of class 57 (57000 operator_intervention)
     * and class 72 (snapshot_too_old: a new transaction takes a new snapshot). Retryable.
     */
    TRANSIENT,
    /**
     * The statement cannot run as written: class 42 (but 42501) and 26, 34, 3D, 3F (names that do
     * not exist; 3D000 also when the database named at connect does not exist), 08P01 (the client sent
     * what the protocol does not allow, such as a NUL byte in the SQL text), 0A (feature not supported), 0L,
     * 0P, 0Z, 2B (dependent objects), 2F (SQL routine
     * misuse), pgjdbc's 07 (parameter type), 0100E (rows where none were expected) and 02000 (no
     * rows where some were expected).
     */
    BAD_SQL,
    /** 42501 insufficient_privilege. */
    PERMISSION_DENIED,
    /** Class 28: the server refused the credentials. */
    AUTHENTICATION,
    /** Class 22 and 21 (a value does not fit), and 20 case_not_found (no CASE branch matched a value). */
    DATA,
    /**
     * Class 25, 2D, 3B, 0B, 24 (cursor state), 40 other than 40001/40P01, and 55 other than 55P03
     * (an object is not in the state the statement needs).
     */
    TRANSACTION_STATE,
    /** Class 53 (but 53300) and 54. */
    RESOURCE_EXHAUSTED,
    /** P0002 no_data_found and P0003 too_many_rows ({@code SELECT INTO STRICT}). */
    INCORRECT_RESULT_SIZE,
    /** Everything else, including a missing SQLSTATE and the success and warning classes 00, 01, 02. */
    UNCATEGORIZED;

    /** How deep a cause chain is searched for a {@link TlsRejected}. */
    private static final int MAX_CAUSE_DEPTH = 32;

    /**
     * The family of {@code sqlState} (case-insensitive), {@link #UNCATEGORIZED} when it is
     * {@code null}, malformed or unknown. A {@code 57014} answers {@link #QUERY_CANCELED}; a mapper
     * that can tell it was a timeout uses {@link #QUERY_TIMEOUT} instead.
     *
     * @param sqlState the five-character SQLSTATE, or {@code null}
     * @return the family; never {@code null}
     */
    public static SqlStateFamily of(String sqlState) {
        if (sqlState == null || sqlState.length() != 5) {
            return UNCATEGORIZED;
        }
        String code = sqlState.toUpperCase(Locale.ROOT);
        return switch (code) {
            case "23505" -> DUPLICATE_KEY;
            case "23503", "23001" -> FOREIGN_KEY_VIOLATION;
            case "23502" -> NOT_NULL_VIOLATION;
            case "23514" -> CHECK_VIOLATION;
            case "23P01" -> EXCLUSION_VIOLATION;
            case "40001" -> SERIALIZATION_FAILURE;
            case "40P01" -> DEADLOCK_DETECTED;
            case "55P03" -> LOCK_NOT_AVAILABLE;
            case "57014" -> QUERY_CANCELED;
            case "42501" -> PERMISSION_DENIED;
            case "53300", "25P03" -> CONNECTION;
            case "08P01" -> BAD_SQL;
            case "08004", "57P04" -> CONNECTION_REJECTED;
            case "08007" -> TRANSACTION_OUTCOME_UNKNOWN;
            // pgjdbc raises these non-error states as errors when the statement and the execute
            // method disagree (executeUpdate got rows, executeQuery got none): fix the call.
            case "0100E", "02000" -> BAD_SQL;
            case "P0002", "P0003" -> INCORRECT_RESULT_SIZE;
            default -> ofClass(code.substring(0, 2), code);
        };
    }

    /**
     * Like {@link #of(String)}, but a {@code 57014} becomes {@link #QUERY_TIMEOUT} when
     * {@code context} shows that a timeout elapsed: the JDBC query timeout
     * ({@link ErrorContext#queryTimeoutElapsed()}; pgjdbc implements it by sending a cancel, so the
     * server reports it as a plain cancel) or the configured statement timeout (the call ran at
     * least that long). Otherwise a {@code 57014} stays {@link #QUERY_CANCELED}.
     *
     * @param sqlState the five-character SQLSTATE, or {@code null}
     * @param context what was running when the failure happened
     * @return the family; never {@code null}
     */
    public static SqlStateFamily of(String sqlState, ErrorContext context) {
        SqlStateFamily family = of(sqlState);
        if (family == QUERY_CANCELED && timeoutElapsed(context)) {
            return QUERY_TIMEOUT;
        }
        return family;
    }

    /**
     * Like {@link #of(String)}, but {@link #TLS_REJECTED} when {@code failure} or one of its causes is the
     * engine's verdict ({@link TlsRejected}) that a connect failed in TLS for good: the one rule every mapper
     * and every provider's connect path applies, so a TLS failure is the same exception at start, at checkout
     * and when mapped.
     *
     * @param sqlState the SQLSTATE the driver reported, or {@code null}
     * @param failure  the failure it came with, or {@code null}
     * @return the family
     */
    public static SqlStateFamily of(String sqlState, Throwable failure) {
        if (failure != null && tlsRejected(failure)) {
            return TLS_REJECTED;
        }
        return of(sqlState);
    }

    /** Whether {@code failure} or one of its causes (at most 32 deep, cycles ended) is a {@link TlsRejected}. */
    private static boolean tlsRejected(Throwable failure) {
        int depth = 0;
        for (Throwable c = failure; c != null && depth < MAX_CAUSE_DEPTH;
                c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (c instanceof TlsRejected) {
                return true;
            }
        }
        return false;
    }

    private static boolean timeoutElapsed(ErrorContext context) {
        return context.queryTimeoutElapsed()
                || (!context.statementTimeout().isZero()
                        && context.elapsed().compareTo(context.statementTimeout()) >= 0);
    }

    private static SqlStateFamily ofClass(String sqlClass, String code) {
        return switch (sqlClass) {
            case "23", "27", "44" -> INTEGRITY_VIOLATION;
            case "08" -> CONNECTION;
            // 57P01-57P03 and 57P05 (shutdown, crash, not accepting connections yet,
            // idle_session_timeout) end the session: a new connection may work.
            case "57" -> code.startsWith("57P") ? CONNECTION : TRANSIENT;
            case "72" -> TRANSIENT;
            case "42", "26", "34", "3D", "3F", "0A", "0L", "0P", "0Z", "2B", "2F", "07" -> BAD_SQL;
            case "28" -> AUTHENTICATION;
            case "22", "21", "20" -> DATA;
            case "25", "2D", "3B", "0B", "24", "40", "55" -> TRANSACTION_STATE;
            case "53", "54" -> RESOURCE_EXHAUSTED;
            case "58" -> SYSTEM_ERROR;
            default -> UNCATEGORIZED;
        };
    }

    /**
     * The exception for a failure to open a connection, so that the same failure is the same exception
     * at {@code Database.open} and later (a pool reconnecting): the family of {@code sqlState}, where a
     * refusal by a server that answered (class 28, 3D000, a rejected startup parameter, 08004) is not
     * retryable; {@link #CONNECTION} (retryable) when there is no SQLSTATE or it names no family
     * (the host did not answer, an I/O error).
     *
     * @param message what went wrong, without row values
     * @param cause the driver's exception
     * @param sqlState the five-character SQLSTATE, or {@code null}
     * @return the exception of the SQLSTATE's family
     */
    public static DataAccessException connectFailure(String message, Throwable cause, String sqlState) {
        SqlStateFamily family = of(sqlState, cause);
        if (family == UNCATEGORIZED) {
            family = CONNECTION;
        }
        return family.newException(message, cause, ErrorDetails.ofSqlState(sqlState));
    }

    /** {@return whether exceptions of this family are {@linkplain DataAccessException#isRetryable() retryable}} */
    public boolean isRetryable() {
        return switch (this) {
            case SERIALIZATION_FAILURE, DEADLOCK_DETECTED, LOCK_NOT_AVAILABLE, QUERY_TIMEOUT, CONNECTION,
                    TRANSIENT -> true;
            default -> false;
        };
    }

    /**
     * {@return a new exception of this family; the caller has made sure {@code message} carries no row values}
     *
     * @param message what went wrong, without row values
     * @param cause the exception underneath, usually the driver's
     * @param details what the server reported
     */
    public DataAccessException newException(String message, Throwable cause, ErrorDetails details) {
        return switch (this) {
            case DUPLICATE_KEY -> new DuplicateKeyException(message, cause, details);
            case FOREIGN_KEY_VIOLATION -> new ForeignKeyViolationException(message, cause, details);
            case NOT_NULL_VIOLATION -> new NotNullViolationException(message, cause, details);
            case CHECK_VIOLATION -> new CheckViolationException(message, cause, details);
            case EXCLUSION_VIOLATION -> new ExclusionViolationException(message, cause, details);
            case INTEGRITY_VIOLATION -> new IntegrityViolationException(message, cause, details);
            case SERIALIZATION_FAILURE -> new SerializationFailureException(message, cause, details);
            case DEADLOCK_DETECTED -> new DeadlockDetectedException(message, cause, details);
            case LOCK_NOT_AVAILABLE -> new LockNotAvailableException(message, cause, details);
            case QUERY_TIMEOUT -> new QueryTimeoutException(message, cause, details);
            case QUERY_CANCELED -> new QueryCanceledException(message, cause, details);
            case CONNECTION -> new ConnectionException(message, cause, details);
            case CONNECTION_REJECTED -> new ConnectionRejectedException(message, cause, details);
            case TLS_REJECTED -> new TlsRejectedException(message, cause, details);
            case TRANSACTION_OUTCOME_UNKNOWN -> new TransactionOutcomeUnknownException(message, cause, details);
            case SYSTEM_ERROR -> new SystemErrorException(message, cause, details);
            case TRANSIENT -> new TransientDataAccessException(message, cause, details);
            case BAD_SQL -> new BadSqlException(message, cause, details);
            case PERMISSION_DENIED -> new PermissionDeniedException(message, cause, details);
            case AUTHENTICATION -> new AuthenticationException(message, cause, details);
            case DATA -> new DataException(message, cause, details);
            case TRANSACTION_STATE -> new TransactionStateException(message, cause, details);
            case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(message, cause, details);
            case INCORRECT_RESULT_SIZE -> new IncorrectResultSizeException(message, cause, details);
            case UNCATEGORIZED -> new UncategorizedDataAccessException(message, cause, details);
        };
    }
}
