package db.bootapptest;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Boot application on the HikariCP provider (Boot's managed HikariCP 7.0.2, logging through SLF4J to Logback). */
final class HikariApplicationTest extends ApplicationTestBase {

    private static final LazySchema SCHEMA = new LazySchema("boot_hikari");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, SCHEMA, "hikari");
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Override
    String provider() {
        return "hikari";
    }

    @Override
    String schemaName() {
        return SCHEMA.get().name();
    }
}
