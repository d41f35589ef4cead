package db.spring.boot;

import db.api.Database;
import javax.sql.DataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcAccessor;
import org.springframework.transaction.TransactionManager;

/**
 * Makes Switchboard the application's database layer. Runs before Boot's DataSource, JdbcTemplate,
 * transaction and DataSource health auto-configurations, so those back off or build on it:
 *
 * <ul>
 * <li>one {@link Database} read from Boot's {@code Environment} ({@code db.*} with relaxed binding,
 * {@code spring.datasource.url/username/password} as fallbacks), unless the application defines its own;
 * closed as the context closes, after a graceful shutdown has drained the web server;</li>
 * <li>the {@link DataSource} bean ({@link SwitchboardDataSource}), which hands JDBC code the thread's bound
 * transaction's connection;</li>
 * <li>the {@link SwitchboardTransactionManager} ({@code spring.transaction.*} customizers applied), and
 * {@link SwitchboardExceptionTranslator} on every JdbcTemplate over that DataSource;</li>
 * <li>with the actuator, a {@link SwitchboardHealthIndicator} ({@code management.health.switchboard.enabled}),
 * which stands in for Boot's generic {@code db} check; with Micrometer, {@link SwitchboardPoolMetrics}.</li>
 * </ul>
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"},
        afterName = "org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration")
@ConditionalOnClass({Database.class, DataSource.class})
public class SwitchboardAutoConfiguration {

    /** Boot makes it. */
    public SwitchboardAutoConfiguration() {
    }

    /**
     * The database, opened from Boot's configuration; closing it drains the pool.
     *
     * @param environment Boot's environment, read for the {@code db.*} and {@code spring.datasource.*} keys
     * @return the opened database
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Database.class)
    public Database switchboardDatabase(Environment environment) {
        return Database.open(BootDbConfig.from(environment));
    }

    /**
     * The DataSource over the database; it closes nothing itself (the Database bean does).
     *
     * @param database the database bean
     * @return a data source that joins the thread's transaction
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(DataSource.class)
    public SwitchboardDataSource dataSource(Database database) {
        return new SwitchboardDataSource(database);
    }

    /** Transactions and exception translation, when Spring JDBC is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JdbcTemplate.class, TransactionManager.class})
    static class Jdbc {

        /** The translator JdbcTemplate and the transaction manager use. */
        @Bean
        @ConditionalOnMissingBean
        SwitchboardExceptionTranslator switchboardExceptionTranslator(Database database) {
            return new SwitchboardExceptionTranslator(database);
        }

        /**
         * Spring's transaction manager on Switchboard's transactions, binding its connection for the
         * application's DataSource (the starter's, unless the application made its own).
         */
        @Bean
        @ConditionalOnMissingBean(TransactionManager.class)
        SwitchboardTransactionManager transactionManager(Database database, DataSource dataSource,
                                                         ObjectProvider<TransactionManagerCustomizers> customizers) {
            SwitchboardTransactionManager manager = new SwitchboardTransactionManager(database, dataSource);
            customizers.ifAvailable(all -> all.customize(manager));
            return manager;
        }

        /** Puts Switchboard's translator on every JdbcTemplate (Boot's or the application's) over the DataSource. */
        @Bean
        static BeanPostProcessor switchboardJdbcTemplateTranslator(ObjectProvider<SwitchboardExceptionTranslator> translator) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
                    if (bean instanceof JdbcAccessor accessor && accessor.getDataSource() instanceof SwitchboardDataSource) {
                        translator.ifAvailable(accessor::setExceptionTranslator);
                    }
                    return bean;
                }
            };
        }
    }

    /** The actuator's health, when Boot's health module is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("switchboard")
    static class HealthConfiguration {

        /**
         * Also named {@code dbHealthIndicator}: Boot's DataSource health auto-configuration backs off for that
         * name, so its generic {@code isValid()} check does not run next to this one.
         */
        @Bean(name = {"switchboardHealthIndicator", "dbHealthIndicator"})
        @ConditionalOnMissingBean(name = "switchboardHealthIndicator")
        SwitchboardHealthIndicator switchboardHealthIndicator(Database database) {
            return new SwitchboardHealthIndicator(database);
        }
    }

    /** Pool meters, when Micrometer is present: Boot binds every MeterBinder bean to its registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class MetricsConfiguration {

        /** The pool's {@code db.client.connection.*} meters. */
        @Bean
        @ConditionalOnMissingBean
        SwitchboardPoolMetrics switchboardPoolMetrics(Database database) {
            return new SwitchboardPoolMetrics(database);
        }
    }
}
