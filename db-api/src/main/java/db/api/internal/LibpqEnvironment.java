package db.api.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libpq's {@code PG*} environment variables as a libpq key/value DSN, used when no {@code db.url} is given
 * but {@code PGHOST} or {@code PGDATABASE} is: libpq connects then, and so does Switchboard. Each variable
 * becomes the libpq parameter it stands for, so the parameter table validates it as if it were written in
 * the DSN (a password among them stays a secret like any other).
 */
public final class LibpqEnvironment {
    /** Variable → libpq parameter, in libpq's documented order (the DSN lists them in it). */
    private static final Map<String, String> VARIABLES = ordered(
            "PGHOST", "host",
            "PGHOSTADDR", "hostaddr",
            "PGPORT", "port",
            "PGDATABASE", "dbname",
            "PGUSER", "user",
            "PGPASSWORD", "password",
            "PGSERVICE", "service",
            "PGOPTIONS", "options",
            "PGAPPNAME", "application_name",
            "PGSSLMODE", "sslmode",
            "PGSSLNEGOTIATION", "sslnegotiation",
            "PGSSLCERT", "sslcert",
            "PGSSLKEY", "sslkey",
            "PGSSLROOTCERT", "sslrootcert",
            "PGSSLCRL", "sslcrl",
            "PGREQUIREAUTH", "require_auth",
            "PGCHANNELBINDING", "channel_binding",
            "PGCONNECT_TIMEOUT", "connect_timeout",
            "PGTARGETSESSIONATTRS", "target_session_attrs");

    private LibpqEnvironment() {
    }

    /**
     * The DSN the {@code PG*} variables in {@code environment} describe, or {@code null} when neither
     * {@code PGHOST} nor {@code PGDATABASE} is set. Without {@code PGHOST}/{@code PGHOSTADDR} the host is
     * {@code localhost} (libpq's TCP default; pgjdbc has no Unix sockets).
     */
    public static String dsn(Map<String, String> environment) {
        if (blank(environment.get("PGHOST")) && blank(environment.get("PGDATABASE"))) {
            return null;
        }
        StringBuilder dsn = new StringBuilder();
        if (blank(environment.get("PGHOST")) && blank(environment.get("PGHOSTADDR"))) {
            dsn.append("host=localhost");
        }
        VARIABLES.forEach((variable, parameter) -> {
            String value = environment.get(variable);
            if (!blank(value)) {
                if (dsn.length() > 0) {
                    dsn.append(' ');
                }
                dsn.append(parameter).append("='")
                        .append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            }
        });
        return dsn.toString();
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
