package db.bootapp;

import db.api.Database;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One round trip through Boot's {@link JdbcTemplate} once the application has started, logged through the
 * Log4j API like the rest of Switchboard: the line an operator (and the fat-jar test) looks for to know that
 * the application reached its database through Switchboard's pool.
 */
@Component
public final class StartupCheck implements ApplicationRunner {

    private static final Logger LOG = LogManager.getLogger(StartupCheck.class);

    private final JdbcTemplate jdbc;
    private final Database database;

    /** Takes Boot's template (built on the Switchboard {@code DataSource}) and the database it came from. */
    public StartupCheck(JdbcTemplate jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    @Override
    public void run(ApplicationArguments args) {
        String version = jdbc.queryForObject("select current_setting('server_version')", String.class);
        LOG.info("Switchboard Boot application ready: PostgreSQL {} through pool '{}' ({})", version,
                database.config().poolName(), database.providers().sessionProvider());
    }
}
