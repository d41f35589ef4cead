package db.errors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.BadSqlException;
import db.api.ConnectionException;
import db.api.DataAccessException;
import db.api.DataException;
import db.api.QueryCanceledException;
import db.api.QueryTimeoutException;
import db.api.UncategorizedDataAccessException;
import db.api.spi.ErrorContext;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * States pgjdbc raises on the client side, without a server message. The exceptions are pgjdbc's own
 * values, built as pgjdbc builds them; the server-side paths are covered against the real server.
 */
class ClientSideStatesTest {

    private final PostgresErrorMapper mapper = new PostgresErrorMapper();

    private DataAccessException map(String message, PSQLState state) {
        return mapper.map(new PSQLException(message, state), ErrorContext.DEFAULT).orElseThrow();
    }

    @Test
    void connectionStatesAreRetryableConnectionExceptions() {
        for (PSQLState state : new PSQLState[] {PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            PSQLState.CONNECTION_DOES_NOT_EXIST, PSQLState.CONNECTION_FAILURE, PSQLState.COMMUNICATION_ERROR}) {
            DataAccessException e = map("An I/O error occurred while sending to the backend.", state);
            assertThat(e).as(state.name()).isExactlyInstanceOf(ConnectionException.class);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.sqlState()).isEqualTo(state.getState());
            assertThat(e.getMessage()).endsWith(": An I/O error occurred while sending to the backend.");
        }
    }

    @Test
    void anIoErrorAsCauseKeepsTheChain() {
        PSQLException driver = new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE, new IOException("Connection reset"));
        DataAccessException e = mapper.map(driver, ErrorContext.DEFAULT).orElseThrow();
        assertThat(e).isExactlyInstanceOf(ConnectionException.class);
        assertThat(e.getCause()).isSameAs(driver);
        assertThat(e.getCause().getCause()).isInstanceOf(IOException.class);
    }

    @Test
    void clientSideCancelIsATimeoutOnlyWhenTheTimeoutElapsed() {
        PSQLException driver = new PSQLException("ERROR: canceling statement due to user request", PSQLState.QUERY_CANCELED);
        ErrorContext timedOut = new ErrorContext(false, Duration.ofMillis(2001), Duration.ofSeconds(2), Duration.ZERO);
        ErrorContext early = new ErrorContext(false, Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ZERO);
        assertThat(mapper.map(driver, timedOut).orElseThrow()).isExactlyInstanceOf(QueryTimeoutException.class);
        assertThat(mapper.map(driver, early).orElseThrow()).isExactlyInstanceOf(QueryCanceledException.class);
    }

    @Test
    void otherClientSideTextIsNotCopiedBecauseItCanHoldValues() {
        DataAccessException e = map("Bad value for type int : secret-value", PSQLState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertThat(e).isExactlyInstanceOf(DataException.class);
        assertThat(e.getMessage()).isEqualTo("numeric_value_out_of_range (22003) from org.postgresql.util.PSQLException");
    }

    @Test
    void unknownAndApiMisuseStates() {
        assertThat(map("unexpected", PSQLState.UNEXPECTED_ERROR)).isExactlyInstanceOf(UncategorizedDataAccessException.class)
                .satisfies(e -> assertThat(e.sqlState()).isEqualTo("99999"));
        assertThat(map("A result was returned when none was expected.", PSQLState.TOO_MANY_RESULTS))
                .isExactlyInstanceOf(BadSqlException.class);
        assertThat(map("No results were returned by the query.", PSQLState.NO_DATA))
                .isExactlyInstanceOf(BadSqlException.class);
        assertThat(map("Can't infer the SQL type", PSQLState.INVALID_PARAMETER_TYPE))
                .isExactlyInstanceOf(BadSqlException.class);
        assertThat(map("system", PSQLState.SYSTEM_ERROR)).isExactlyInstanceOf(UncategorizedDataAccessException.class);
    }

    @Test
    void aDriverExceptionWithoutStateIsStillMine() {
        DataAccessException e = mapper.map(new PSQLException("odd", null), ErrorContext.DEFAULT).orElseThrow();
        assertThat(e).isExactlyInstanceOf(UncategorizedDataAccessException.class);
        assertThat(e.sqlState()).isNull();
        assertThat(e.getMessage()).isEqualTo("unknown_condition (no SQLSTATE) from org.postgresql.util.PSQLException");
    }
}
