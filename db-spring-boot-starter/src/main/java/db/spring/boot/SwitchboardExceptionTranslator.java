package db.spring.boot;

import db.api.AuthenticationException;
import db.api.BadSqlException;
import db.api.CheckoutInterruptedException;
import db.api.ConfigException;
import db.api.ConnectionException;
import db.api.ConnectionRejectedException;
import db.api.DataException;
import db.api.Database;
import db.api.DeadlockDetectedException;
import db.api.DuplicateKeyException;
import db.api.EmptyResultException;
import db.api.IncorrectResultSizeException;
import db.api.IntegrityViolationException;
import db.api.LockNotAvailableException;
import db.api.PermissionDeniedException;
import db.api.PoolClosedException;
import db.api.PoolExhaustedException;
import db.api.PoolNotInitializedException;
import db.api.QueryTimeoutException;
import db.api.ResourceExhaustedException;
import db.api.SerializationFailureException;
import db.api.SystemErrorException;
import db.api.TransactionOutcomeUnknownException;
import db.api.TransactionStateException;
import db.api.TransientDataAccessException;
import java.sql.SQLException;
import java.util.Objects;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Spring's {@link SQLExceptionTranslator} through Switchboard's error mappers: the driver's exception is
 * mapped by {@link Database#translate(SQLException)} (families, retryability, constraint and table names,
 * a message without row values), and that family picks Spring's {@link DataAccessException} class, with
 * Switchboard's exception as the cause (so {@code constraint()} and {@code isRetryable()} are one
 * {@code getCause()} away). The table is in the README ("Spring Boot"). Thread-safe.
 */
public final class SwitchboardExceptionTranslator implements SQLExceptionTranslator {
    private final Database database;

    /**
     * A translator that maps with {@code database}'s error mappers.
     *
     * @param database the database whose error mappers decide
     */
    public SwitchboardExceptionTranslator(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public DataAccessException translate(String task, String sql, SQLException ex) {
        db.api.DataAccessException mapped = database.translate(ex);
        if (mapped instanceof BadSqlException) {
            // Spring's class requires the SQLException as its cause; Switchboard's travels as a suppressed one.
            BadSqlGrammarException grammar = new BadSqlGrammarException(task, sql != null ? sql : "", ex);
            grammar.addSuppressed(mapped);
            return grammar;
        }
        return toSpring(task, mapped);
    }

    /**
     * Spring's exception for one of Switchboard's, with it as the cause: for Switchboard exceptions met
     * outside a {@link java.sql.SQLException} (a commit in the transaction manager, a session's helper).
     *
     * @param task what was being done, for the message, or {@code null}
     * @param e    Switchboard's exception
     * @return Spring's exception, with {@code e} as its cause
     */
    public static DataAccessException toSpring(String task, db.api.DataAccessException e) {
        Objects.requireNonNull(e, "e");
        String message = (task != null ? task + ": " : "") + e.getMessage();
        if (e instanceof DuplicateKeyException) {
            return new org.springframework.dao.DuplicateKeyException(message, e);
        }
        if (e instanceof IntegrityViolationException || e instanceof DataException) {
            return new DataIntegrityViolationException(message, e);
        }
        if (e instanceof SerializationFailureException || e instanceof DeadlockDetectedException) {
            return new PessimisticLockingFailureException(message, e);
        }
        if (e instanceof LockNotAvailableException) {
            return new CannotAcquireLockException(message, e);
        }
        if (e instanceof QueryTimeoutException) {
            return new org.springframework.dao.QueryTimeoutException(message, e);
        }
        if (e instanceof ConnectionException || e instanceof PoolExhaustedException
                || e instanceof CheckoutInterruptedException || e instanceof TransientDataAccessException) {
            return new TransientDataAccessResourceException(message, e);
        }
        if (e instanceof ConnectionRejectedException || e instanceof AuthenticationException
                || e instanceof PoolClosedException || e instanceof PoolNotInitializedException
                || e instanceof ResourceExhaustedException || e instanceof SystemErrorException
                || e instanceof TransactionOutcomeUnknownException) {
            return new DataAccessResourceFailureException(message, e);
        }
        if (e instanceof BadSqlException || e instanceof TransactionStateException) {
            return new InvalidDataAccessResourceUsageException(message, e);
        }
        if (e instanceof PermissionDeniedException) {
            return new PermissionDeniedDataAccessException(message, e);
        }
        if (e instanceof EmptyResultException) {
            return new EmptyResultDataAccessException(message, 1, e);
        }
        if (e instanceof IncorrectResultSizeException) {
            return new IncorrectResultSizeDataAccessException(message, 1, e);
        }
        if (e instanceof ConfigException) {
            return new InvalidDataAccessApiUsageException(message, e);
        }
        return new Uncategorized(message, e);
    }

    /** What Spring has no closer class for (uncategorized SQLSTATEs, an explicit cancel). */
    public static final class Uncategorized extends UncategorizedDataAccessException {
        private static final long serialVersionUID = 1L;

        Uncategorized(String message, db.api.DataAccessException cause) {
            super(message, cause);
        }
    }
}
