package db.core.engine;

import db.api.DbConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one place that turns a {@link DbConfig} into pgjdbc's connection properties, for every provider:
 * user, password and other secrets, the URL's or DSN's parameters in pgjdbc's names, connect and login
 * timeouts, {@code ApplicationName}, TCP keepalive, {@code statement_timeout} through {@code options}.
 * {@link DbConfig#jdbcUrl()} carries only hosts and database; everything else travels here, so secrets
 * ({@code password}, {@code sslpassword}) never sit in a URL a driver might log.
 *
 * <p>Precedence: a parameter written in the URL or DSN wins over what Switchboard derives from its own
 * keys, except {@code options}, to which {@code db.statement-timeout} is appended (the server applies the
 * last {@code -c} of a setting).
 */
public final class DriverProperties {

    private DriverProperties() {
    }

    /**
     * The properties for {@code config}: its {@link DbConfig#urlParameters()} (pgjdbc's names) over what
     * Switchboard derives from its keys.
     */
    public static Map<String, String> of(DbConfig config) {
        Map<String, String> parameters = config.urlParameters();
        Map<String, String> p = new LinkedHashMap<>();
        config.user().ifPresent(u -> p.put("user", u));
        config.password().ifPresent(pw -> p.put("password", pw));
        String connectSeconds = Long.toString(ceilSeconds(config.connectTimeout()));
        p.put("connectTimeout", connectSeconds);
        // connectTimeout bounds the TCP connect only; loginTimeout also bounds a server that accepts and stalls.
        p.put("loginTimeout", connectSeconds);
        // With a 9.0+ server assumed, pgjdbc sends application_name in the startup packet instead of a SET
        // after connecting: one round trip less per connection, and the name is part of the session's
        // defaults, so the session reset's RESET ALL keeps it.
        p.put("assumeMinServerVersion", "9.0");
        p.put("tcpKeepAlive", "true");
        // Row values in a server DETAIL stay out of driver messages (the core's mapper decides what to show).
        p.put("logServerErrorDetail", "false");
        // Bounds on a silent network: socket read timeout and keepalive in seconds (see NetworkSettings).
        p.putAll(NetworkSettings.driverProperties(config));
        p.putAll(parameters);
        if (parameters.containsKey("connectTimeout") && !parameters.containsKey("loginTimeout")) {
            p.put("loginTimeout", parameters.get("connectTimeout"));
        }
        p.put("ApplicationName", config.applicationName());
        config.statementTimeout().ifPresent(t -> {
            String setting = "-c statement_timeout=" + t.toMillis();
            String options = p.get("options");
            p.put("options", options == null || options.isBlank() ? setting : options + " " + setting);
        });
        return Collections.unmodifiableMap(p);
    }

    /** {@return {@link #of(DbConfig)} as a fresh {@link Properties}, for {@code Driver.connect}} */
    public static Properties properties(DbConfig config) {
        Properties p = new Properties();
        p.putAll(of(config));
        return p;
    }

    /** Whole seconds, rounded up, at least 1: pgjdbc's timeouts count seconds and 0 means "forever". */
    private static long ceilSeconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
