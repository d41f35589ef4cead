package db.spring.boot;

import db.api.DbConfig;
import db.api.DbKeys;
import db.api.spi.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads a {@link DbConfig} from Boot's {@link Environment}, so that profiles, {@code application.yml},
 * config trees and relaxed binding apply: every key Switchboard declares is bound by its name
 * ({@code db.pool.max-size} also from {@code db.pool.maxSize}, {@code DB_POOL_MAX_SIZE}, YAML); other
 * {@code db.*} keys the application's property files name are passed on as written, so that
 * {@link DbConfig}'s validation reports a typo with a suggestion instead of ignoring it.
 * {@code spring.datasource.url}, {@code .username}, {@code .password} and {@code spring.application.name}
 * stand in for {@code db.url}, {@code db.user}, {@code db.password} and {@code db.application-name} when
 * those are not set.
 */
final class BootDbConfig {
    private static final String PREFIX = "db";
    /** Fallbacks from Boot's own keys, used only when the Switchboard key is not set. */
    private static final Map<String, String> FALLBACKS = Map.of(
            DbKeys.URL.name(), "spring.datasource.url",
            DbKeys.USER.name(), "spring.datasource.username",
            DbKeys.PASSWORD.name(), "spring.datasource.password",
            DbKeys.APPLICATION_NAME.name(), "spring.application.name");

    private BootDbConfig() {
    }

    /**
     * The configuration {@code environment} describes.
     *
     * @throws db.api.ConfigException with every problem, as {@link DbConfig.Builder#build()} reports them
     */
    static DbConfig from(Environment environment) {
        return builder(environment).build();
    }

    static DbConfig.Builder builder(Environment environment) {
        Binder binder = Binder.get(environment);
        List<ConfigurationPropertyName> declared = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : declaredKeys()) {
            declared.add(ConfigurationPropertyName.of(key.name()));
            binder.bind(key.name(), Bindable.of(String.class)).ifBound(value -> values.put(key.name(), value));
        }
        // Undeclared db.* keys, from every source but the process environment: there a map key cannot be told
        // apart from a dotted name (DB_POOL_MAX_SIZE would read as db.pool.max.size), and DbConfig itself only
        // reads the environment variables of declared keys.
        fileBinder(environment).bind(PREFIX, Bindable.mapOf(String.class, String.class)).ifBound(all -> {
            for (Map.Entry<String, String> e : all.entrySet()) {
                String name = PREFIX + "." + e.getKey();
                if (!isDeclared(name, declared)) {
                    values.putIfAbsent(name, e.getValue());
                }
            }
        });
        FALLBACKS.forEach((key, bootKey) -> {
            if (!values.containsKey(key)) {
                binder.bind(bootKey, Bindable.of(String.class)).ifBound(value -> values.put(key, value));
            }
        });
        DbConfig.Builder builder = DbConfig.builder();
        values.forEach(builder::property);
        return builder;
    }

    /** The keys of db.api and of the modules on the class path (the tracing module's, for one). */
    private static List<ConfigKey<?>> declaredKeys() {
        // A placeholder target only to ask which keys are declared: nothing connects to it.
        return DbConfig.builder().url("postgresql://localhost/declared-keys").build().declaredKeys();
    }

    private static boolean isDeclared(String name, List<ConfigurationPropertyName> declared) {
        // adapted, so that db.pool.maxSize and db.pool.max_size count as db.pool.max-size (Boot's relaxed names)
        return declared.contains(ConfigurationPropertyName.adapt(name, '.'));
    }

    private static Binder fileBinder(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return Binder.get(environment);
        }
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.from(filtered(configurable))) {
            sources.add(source);
        }
        return new Binder(sources);
    }

    private static List<PropertySource<?>> filtered(ConfigurableEnvironment environment) {
        List<PropertySource<?>> kept = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())
                    && !"configurationProperties".equals(source.getName())) {
                kept.add(source);
            }
        }
        return kept;
    }
}
