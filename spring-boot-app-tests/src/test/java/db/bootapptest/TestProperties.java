package db.bootapptest;

import db.testkit.TestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The {@code db.*} properties that point the application at the test database, one pool per test. */
final class TestProperties {

    private TestProperties() {
    }

    /**
     * The test database (in {@code schema} when not {@code null}) through {@code provider}, with a pool and
     * an application name unique to this run so that {@code pg_stat_activity} tells its backends apart.
     */
    static Map<String, String> of(LazySchema schema, String provider, String poolPrefix) {
        TestDatabase db = TestDatabase.get();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("db.url", schema == null ? db.applicationUrl() : schema.get().jdbcUrl());
        if (db.user() != null) {
            p.put("db.user", db.user());
        }
        if (db.password() != null) {
            p.put("db.password", db.password());
        }
        p.putAll(pool(provider, poolPrefix));
        return p;
    }

    /** Like {@link #of}, for a {@code @DynamicPropertySource}: the database is looked up when Boot reads it. */
    static void register(DynamicPropertyRegistry registry, LazySchema schema, String provider, String poolPrefix) {
        registry.add("db.url", () -> schema.get().jdbcUrl());
        // Boot asks for every key it was given; the supplier may answer null (the URL carries the user).
        registry.add("db.user", () -> TestDatabase.get().user());
        registry.add("db.password", () -> TestDatabase.get().password());
        pool(provider, poolPrefix).forEach((key, value) -> registry.add(key, () -> value));
    }

    private static Map<String, String> pool(String provider, String poolPrefix) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("db.session-provider", provider);
        String name = poolPrefix + "-" + provider + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 32);
        p.put("db.pool.name", name);
        p.put("db.application-name", name);
        p.put("db.pool.min-size", "1");
        p.put("db.pool.max-size", "4");
        return p;
    }

    /** The same as {@code --key=value} arguments, for {@code SpringApplication.run} and {@code java -jar}. */
    static String[] asArguments(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
