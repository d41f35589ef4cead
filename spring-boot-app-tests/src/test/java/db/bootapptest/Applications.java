package db.bootapptest;

import db.bootapp.SwitchboardApplication;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the application in this JVM as {@code main} would, with {@code --db.*} arguments. */
final class Applications {

    private Applications() {
    }

    /** The started application; close it to shut it down as Boot's shutdown hook would. */
    static ConfigurableApplicationContext start(Map<String, String> properties) {
        return new SpringApplicationBuilder(SwitchboardApplication.class).main(SwitchboardApplication.class)
                .run(TestProperties.asArguments(properties));
    }
}
