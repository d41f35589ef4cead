package db.spring.boot.tests;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;

/** The application under test: Boot's auto-configuration (the starter's included) and one service. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(Items.class)
public class TestApp {
}
