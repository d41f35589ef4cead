package db.bootapptest;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Boot application on the c3p0 provider (Switchboard's default, c3p0 logging through Boot's Logback). */
final class C3p0ApplicationTest extends ApplicationTestBase {

    private static final LazySchema SCHEMA = new LazySchema("boot_c3p0");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, SCHEMA, "c3p0");
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Override
    String provider() {
        return "c3p0";
    }

    @Override
    String schemaName() {
        return SCHEMA.get().name();
    }
}
