package db.spring.boot;

import db.api.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Shows Switchboard's {@link ConfigException} at startup as Boot shows its own configuration failures: every
 * problem on its own line and what to change. The problems are DbConfig's own, which never contain a password
 * (neither a {@code db.password} nor one inside a URL or DSN).
 */
public final class ConfigExceptionFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    /** Made by Boot from {@code META-INF/spring.factories}. */
    public ConfigExceptionFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        StringBuilder description = new StringBuilder("Switchboard's database configuration is invalid:");
        if (cause.problems().isEmpty()) {
            description.append("\n\n    ").append(cause.getMessage());
        }
        for (String problem : cause.problems()) {
            description.append("\n\n    ").append(problem);
        }
        String action = "Fix the db.* properties (application.properties or application.yml, a profile, or the "
                + "DB_* environment variables; spring.datasource.url, username and password stand in for db.url, "
                + "db.user and db.password). README.md's configuration table lists every key.";
        return new FailureAnalysis(description.toString(), action, cause);
    }
}
