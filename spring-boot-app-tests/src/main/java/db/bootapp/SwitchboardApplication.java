package db.bootapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application whose {@code DataSource} is a Switchboard {@link db.api.Database}
 * ({@link SwitchboardDatabaseConfiguration}), the way an application adopts the library: Boot's own
 * auto-configuration then builds the {@code JdbcTemplate} and the transaction manager on it. No bean methods of
 * its own, so no configuration proxy: final.
 */
@SpringBootApplication(proxyBeanMethods = false)
public final class SwitchboardApplication {

    /** Starts the application; {@code --db.*} arguments and {@code DB_*} variables configure the database. */
    public static void main(String[] args) {
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
