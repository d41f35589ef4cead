package db.bootapp;

import db.api.Database;
import db.api.DbConfig;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The Switchboard {@link Database} as a bean and its {@link Database#dataSource()} as the application's
 * {@link DataSource}, so Boot's {@code DataSourceAutoConfiguration} backs off and its JDBC template and
 * transaction manager use Switchboard's pool.
 */
@Configuration(proxyBeanMethods = false)
public final class SwitchboardDatabaseConfiguration {

    private static final String PREFIX = "db.";

    /**
     * Opens the database from Boot's configuration ({@link #dbConfig}). Closed by the context as a destroy
     * method: Spring runs destroy methods only after every {@code SmartLifecycle} phase has stopped, so with
     * {@code server.shutdown=graceful} the web server has drained its requests before the pool is closed,
     * and the beans that use the {@code DataSource} (it depends on this one) are destroyed before it.
     */
    @Bean(destroyMethod = "close")
    public Database switchboardDatabase(ConfigurableEnvironment environment, ObjectProvider<OpenTelemetry> openTelemetry) {
        return Database.open(dbConfig(environment, openTelemetry.getIfAvailable()));
    }

    /**
     * The pool's {@code DataSource} view. No destroy method (an empty name also stops Spring from inferring
     * one): the {@link Database} owns the pool and closes it.
     */
    @Bean(destroyMethod = "")
    public DataSource dataSource(Database switchboardDatabase) {
        return switchboardDatabase.dataSource();
    }

    /**
     * The configuration as Switchboard reads it outside Boot ({@code DB_*} and {@code PG*} variables), with every
     * {@code db.*} key that one of Boot's property sources names (application properties, command line,
     * test properties) set to the value Boot resolves for it, so Boot's precedence and placeholders apply
     * (a {@code DB_URL} variable still wins over {@code application.properties}, as in any Boot application).
     *
     * @param openTelemetry the application's OpenTelemetry, handed to {@code db-tracing-otel}; {@code null}
     *                      leaves it to {@code GlobalOpenTelemetry}
     */
    public static DbConfig dbConfig(ConfigurableEnvironment environment, OpenTelemetry openTelemetry) {
        Properties system = new Properties();
        // System properties are one of Boot's sources too: read them below, with Boot's precedence.
        DbConfig.Builder builder = DbConfig.builderFromEnvironment(System.getenv(), system);
        for (String key : keys(environment)) {
            builder.property(key, environment.getProperty(key));
        }
        if (openTelemetry != null) {
            builder.extension(OpenTelemetry.class, openTelemetry);
        }
        return builder.build();
    }

    /** The sorted {@code db.*} names of every enumerable source but the environment variables ({@code DB_*}). */
    private static SortedSet<String> keys(ConfigurableEnvironment environment) {
        TreeSet<String> keys = new TreeSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable
                    && !(source instanceof SystemEnvironmentPropertySource)) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith(PREFIX)) {
                        keys.add(name);
                    }
                }
            }
        }
        return keys;
    }
}
