package db.errors.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import db.api.ResourceExhaustedException;
import db.api.SerializationFailureException;
import db.api.SystemErrorException;
import db.api.TransactionOutcomeUnknownException;
import db.api.TransactionStateException;
import db.api.TransientDataAccessException;
import db.api.UncategorizedDataAccessException;
import db.api.spi.ErrorContext;
import db.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Raises every error code of PostgreSQL's {@code errcodes.txt} on the real server with PL/pgSQL
 * {@code RAISE SQLSTATE} and checks where each lands. The expected families are written out below,
 * by class with explicit exceptions, independently of the mapper's own table.
 */
class ErrcodesCoverageTest {

    /** Whole codes whose family differs from their class's. */
    private static final Map<String, Class<? extends DataAccessException>> BY_CODE = Map.ofEntries(
            Map.entry("23505", DuplicateKeyException.class),
            Map.entry("23503", ForeignKeyViolationException.class),
            Map.entry("23001", ForeignKeyViolationException.class),
            Map.entry("23502", NotNullViolationException.class),
            Map.entry("23514", CheckViolationException.class),
            Map.entry("23P01", ExclusionViolationException.class),
            Map.entry("40001", SerializationFailureException.class),
            Map.entry("40P01", DeadlockDetectedException.class),
            Map.entry("55P03", LockNotAvailableException.class),
            // RAISE'd with no timeout in the context and no timeout text: a cancel
            Map.entry("57014", QueryCanceledException.class),
            Map.entry("57P01", ConnectionException.class),
            Map.entry("57P02", ConnectionException.class),
            Map.entry("57P03", ConnectionException.class),
            Map.entry("57P04", ConnectionRejectedException.class),
            Map.entry("08P01", BadSqlException.class),
            Map.entry("08004", ConnectionRejectedException.class),
            Map.entry("08007", TransactionOutcomeUnknownException.class),
            Map.entry("25P03", ConnectionException.class),
            Map.entry("57P05", ConnectionException.class),
            Map.entry("53300", ConnectionException.class),
            Map.entry("42501", PermissionDeniedException.class),
            Map.entry("P0002", IncorrectResultSizeException.class),
            Map.entry("P0003", IncorrectResultSizeException.class));

    /** The family of every class in errcodes.txt that holds errors. */
    private static final Map<String, Class<? extends DataAccessException>> BY_CLASS = Map.ofEntries(
            Map.entry("03", UncategorizedDataAccessException.class),
            Map.entry("08", ConnectionException.class),
            Map.entry("09", UncategorizedDataAccessException.class),
            Map.entry("0A", BadSqlException.class),
            Map.entry("0B", TransactionStateException.class),
            Map.entry("0F", UncategorizedDataAccessException.class),
            Map.entry("0L", BadSqlException.class),
            Map.entry("0P", BadSqlException.class),
            Map.entry("0Z", BadSqlException.class),
            Map.entry("20", DataException.class),
            Map.entry("21", DataException.class),
            Map.entry("22", DataException.class),
            Map.entry("23", IntegrityViolationException.class),
            Map.entry("24", TransactionStateException.class),
            Map.entry("25", TransactionStateException.class),
            Map.entry("26", BadSqlException.class),
            Map.entry("27", IntegrityViolationException.class),
            Map.entry("28", AuthenticationException.class),
            Map.entry("2B", BadSqlException.class),
            Map.entry("2D", TransactionStateException.class),
            Map.entry("2F", BadSqlException.class),
            Map.entry("34", BadSqlException.class),
            Map.entry("38", UncategorizedDataAccessException.class),
            Map.entry("39", UncategorizedDataAccessException.class),
            Map.entry("3B", TransactionStateException.class),
            Map.entry("3D", BadSqlException.class),
            Map.entry("3F", BadSqlException.class),
            Map.entry("40", TransactionStateException.class),
            Map.entry("42", BadSqlException.class),
            Map.entry("44", IntegrityViolationException.class),
            Map.entry("53", ResourceExhaustedException.class),
            Map.entry("54", ResourceExhaustedException.class),
            Map.entry("55", TransactionStateException.class),
            Map.entry("57", TransientDataAccessException.class),
            Map.entry("58", SystemErrorException.class),
            Map.entry("72", TransientDataAccessException.class),
            Map.entry("F0", UncategorizedDataAccessException.class),
            Map.entry("HV", UncategorizedDataAccessException.class),
            Map.entry("P0", UncategorizedDataAccessException.class),
            Map.entry("XX", UncategorizedDataAccessException.class));

    private final PostgresErrorMapper mapper = new PostgresErrorMapper();

    @Test
    void everyErrorCodeLandsInItsFamily() throws Exception {
        List<String> codes = errorCodes(errcodesFile());
        assertThat(codes).hasSizeGreaterThan(200);
        SoftAssertions soft = new SoftAssertions();
        int covered = 0;
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            for (String code : codes) {
                Class<? extends DataAccessException> expected = BY_CODE.getOrDefault(code,
                        BY_CLASS.get(code.substring(0, 2)));
                if (expected == null) {
                    soft.fail("the test has no expected family for class " + code.substring(0, 2) + " (" + code + ")");
                    continue;
                }
                try {
                    s.execute("DO $$ BEGIN RAISE SQLSTATE '" + code + "'; END $$");
                    soft.fail("RAISE SQLSTATE '" + code + "' did not fail");
                } catch (SQLException e) {
                    DataAccessException mapped = mapper.map(e, ErrorContext.DEFAULT).orElseThrow();
                    soft.assertThat(mapped).as(code).isExactlyInstanceOf(expected);
                    soft.assertThat(mapped.isRetryable()).as(code + " retryable")
                            .isEqualTo(TransientDataAccessException.class.isAssignableFrom(expected));
                    soft.assertThat(mapped.sqlState()).as(code).isEqualTo(code);
                    soft.assertThat(mapped.getCause()).as(code).isSameAs(e);
                    soft.assertThat(mapped.getMessage()).as(code).startsWith(ConditionNames.of(code) + " (" + code + ")");
                    covered++;
                }
            }
        }
        System.out.println("[errors] errcodes.txt: mapped " + covered + " of " + codes.size()
                + " error codes raised on the server");
        soft.assertAll();
        assertThat(covered).isEqualTo(codes.size());
    }

    /** The error codes (not classes 00, 01, 02), each once, in file order. */
    private static List<String> errorCodes(Path file) throws IOException {
        Set<String> codes = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("Section:")) {
                continue;
            }
            String code = line.split("\\s+", -1)[0];
            if (code.length() == 5 && !code.startsWith("00") && !code.startsWith("01") && !code.startsWith("02")) {
                codes.add(code);
            }
        }
        return new ArrayList<>(codes);
    }

    private static Path errcodesFile() throws IOException {
        Path root = Paths.get("/usr/share/postgresql");
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
                for (Path version : versions) {
                    Path candidate = version.resolve("errcodes.txt");
                    if (Files.isRegularFile(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        return fail("PostgreSQL's errcodes.txt is not under /usr/share/postgresql/*/errcodes.txt; install the "
                + "PostgreSQL server package (it ships the file) to run this test");
    }
}
