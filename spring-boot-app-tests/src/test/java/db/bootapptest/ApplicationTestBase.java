package db.bootapptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import db.api.Database;
import db.bootapp.SwitchboardApplication;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The application as Boot starts it, with one pool provider (the subclasses choose it): Boot's
 * {@code JdbcTemplate} and {@code @Transactional} on Switchboard's {@code DataSource}, against the real test
 * database, each class in its own schema. The context is closed after the class, so each provider's pool
 * lives only as long as its tests.
 */
@SpringBootTest(classes = SwitchboardApplication.class)
@Import(TestBeans.class)
@DirtiesContext
abstract class ApplicationTestBase {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    Database database;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    Items items;
    @Autowired
    InMemorySpanExporter spans;

    /** The pool provider this class runs on ({@code db.session-provider}). */
    abstract String provider();

    /** The subclasses' {@code @DynamicPropertySource}: the test database in their schema, through their provider. */
    static void register(DynamicPropertyRegistry registry, LazySchema schema, String provider) {
        TestProperties.register(registry, schema, provider, "bootapp");
        // A query that runs long is cut at the server; no test here needs more.
        registry.add("db.statement-timeout", () -> "30s");
    }

    @BeforeEach
    void freshTable() {
        jdbc.execute("create table if not exists items (id bigserial primary key, name text not null unique)");
        jdbc.execute("truncate items");
        spans.reset();
    }

    @Test
    void theApplicationsDataSourceIsTheSwitchboardDatabase() {
        assertThat(dataSource).isSameAs(database.dataSource());
        assertThat(jdbc.getDataSource()).isSameAs(database.dataSource());
        // Boot's own transaction manager, built on that DataSource (no pool of Boot's own was started)
        assertThat(transactionManager).isInstanceOf(DataSourceTransactionManager.class);
        assertThat(((DataSourceTransactionManager) transactionManager).getDataSource()).isSameAs(database.dataSource());
        assertThat(database.providers().sessionProvider()).isEqualTo(provider());
    }

    @Test
    void jdbcTemplateInsertsAndSelects() {
        jdbc.update("insert into items(name) values (?), (?)", "alpha", "beta");
        List<String> names = jdbc.queryForList("select name from items order by name", String.class);
        assertThat(names).containsExactly("alpha", "beta");
        assertThat(jdbc.queryForObject("select count(*) from items where name = ?", Long.class, "beta")).isEqualTo(1L);
    }

    @Test
    void transactionalCommits() throws SQLException {
        items.insertAll("one", "two", "three");
        // Read behind the application's back: committed rows are visible to any other connection.
        assertThat(namesSeenByAnotherConnection()).containsExactly("one", "three", "two");
    }

    @Test
    void transactionalRollsBackOnException() throws SQLException {
        items.insertAll("kept");
        assertThatThrownBy(() -> items.insertThenFail("lost"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lost");
        assertThat(namesSeenByAnotherConnection()).containsExactly("kept");
        // the pool lent a clean connection again: autocommit, no transaction left open
        assertThat(jdbc.queryForObject("select count(*) from items", Long.class)).isEqualTo(1L);
    }

    @Test
    void nestedRollsBackToItsSavepointAndTheOuterWorkCommits() throws SQLException {
        long[] transactions = items.outerWithFailingNested("before", "inner", "after");
        assertThat(transactions[1]).as("the nested call ran in the outer transaction (a savepoint, not a new one)")
                .isEqualTo(transactions[0]);
        assertThat(namesSeenByAnotherConnection()).containsExactly("after", "before");
    }

    @Test
    void switchboardTracesTheApplicationsStatements() {
        jdbc.update("insert into items(name) values (?)", "traced");
        List<SpanData> insertSpans = new ArrayList<>();
        for (SpanData span : spans.getFinishedSpanItems()) {
            if ("insert into items(name) values (?)".equals(span.getAttributes().get(AttributeKey.stringKey("db.query.text")))) {
                insertSpans.add(span);
            }
        }
        assertThat(insertSpans).hasSize(1);
        SpanData span = insertSpans.get(0);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("db.tracing.otel");
        assertThat(database.providers().instrumenters()).anySatisfy(name -> assertThat(name).contains("opentelemetry"));
    }

    private List<String> namesSeenByAnotherConnection() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.testkit.TestDatabase.get().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select name from " + schemaName() + ".items order by name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The schema the subclass created for its pool. */
    abstract String schemaName();
}
