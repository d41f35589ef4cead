package db.api.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * libpq's lower sources beneath a URL: the connection service file ({@code service=} in the URL, else
 * {@code PGSERVICE}) and the {@code PG*} environment variables, in libpq's order. A parameter the URL writes
 * wins; the service supplies what the URL leaves unset; the variables supply what both leave unset (libpq's
 * {@code conninfo_add_defaults}). So {@code PGSSLMODE=verify-full} with {@code PGSSLROOTCERT} applies
 * beneath a URL that names no sslmode, as it does for {@code psql}. Every value found this way goes through
 * the parameter table like a written one, its problems named after where it came from ({@code PGSSLMODE:
 * ...}), and a password among them stays a secret like any other.
 */
public final class LibpqEnvironment {
    /** Variable → libpq parameter, in libpq's documented order. */
    private static final Map<String, String> VARIABLES = ordered(
            "PGHOST", "host",
            "PGHOSTADDR", "hostaddr",
            "PGPORT", "port",
            "PGDATABASE", "dbname",
            "PGUSER", "user",
            "PGPASSWORD", "password",
            "PGPASSFILE", "passfile",
            "PGREQUIREAUTH", "require_auth",
            "PGCHANNELBINDING", "channel_binding",
            "PGOPTIONS", "options",
            "PGAPPNAME", "application_name",
            "PGSSLMODE", "sslmode",
            "PGSSLNEGOTIATION", "sslnegotiation",
            "PGREQUIRESSL", "requiressl",
            "PGSSLCOMPRESSION", "sslcompression",
            "PGSSLCERT", "sslcert",
            "PGSSLKEY", "sslkey",
            "PGSSLCERTMODE", "sslcertmode",
            "PGSSLROOTCERT", "sslrootcert",
            "PGSSLCRL", "sslcrl",
            "PGSSLCRLDIR", "sslcrldir",
            "PGSSLSNI", "sslsni",
            "PGREQUIREPEER", "requirepeer",
            "PGSSLMINPROTOCOLVERSION", "ssl_min_protocol_version",
            "PGSSLMAXPROTOCOLVERSION", "ssl_max_protocol_version",
            "PGGSSENCMODE", "gssencmode",
            "PGKRBSRVNAME", "krbsrvname",
            "PGGSSLIB", "gsslib",
            "PGGSSDELEGATION", "gssdelegation",
            "PGCONNECT_TIMEOUT", "connect_timeout",
            "PGCLIENTENCODING", "client_encoding",
            "PGTARGETSESSIONATTRS", "target_session_attrs",
            "PGLOADBALANCEHOSTS", "load_balance_hosts",
            "PGMINPROTOCOLVERSION", "min_protocol_version",
            "PGMAXPROTOCOLVERSION", "max_protocol_version");
    /** The variables that name a target on their own, so that no db.url is needed (libpq needs none at all). */
    private static final List<String> TARGET = List.of("PGHOST", "PGHOSTADDR", "PGDATABASE", "PGSERVICE");
    private static final Set<String> HOSTS = Set.of("host", "hostaddr");
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private LibpqEnvironment() {
    }

    /** The target with libpq's lower sources beneath it; {@code origins} names where each supplied parameter came from. */
    public record Resolved(ConnectionUrl url, Map<String, String> origins, List<String> secrets) {
    }

    /** The variable names this class reads (the README's table and tests). */
    public static Set<String> variables() {
        Set<String> names = new java.util.TreeSet<>(VARIABLES.keySet());
        names.addAll(List.of("PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR"));
        return Collections.unmodifiableSet(names);
    }

    /** Whether {@code environment} names a target without any URL: {@code PGHOST}, {@code PGHOSTADDR}, {@code PGDATABASE} or {@code PGSERVICE}. */
    public static boolean namesTarget(Map<String, String> environment) {
        return TARGET.stream().anyMatch(v -> !blank(environment.get(v)));
    }

    /**
     * {@code written} (the URL as written, or {@link ConnectionUrl#unwritten()}) with the service and the
     * variables beneath it. Problems (a service that is not found, hosts and ports that do not fit) go to
     * {@code problems}; the URL is then returned as written.
     */
    public static Resolved beneath(ConnectionUrl written, Map<String, String> environment, List<String> problems) {
        Map<String, String> fallbacks = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        String service = written.parameters().get("service");
        if (service == null && !blank(environment.get("PGSERVICE"))) {
            service = environment.get("PGSERVICE");
        }
        if (service != null) {
            ServiceFile.Found found = ServiceFile.lookup(service, environment, problems);
            if (found != null) {
                found.parameters().forEach((name, value) -> {
                    fallbacks.put(name, value);
                    origins.put(name, found.label());
                });
            }
        }
        boolean serviceHosts = fallbacks.keySet().stream().anyMatch(HOSTS::contains);
        VARIABLES.forEach((variable, parameter) -> {
            String value = environment.get(variable);
            if (blank(value) || fallbacks.containsKey(parameter) || (serviceHosts && HOSTS.contains(parameter))) {
                return;
            }
            String target = ConnectionParameters.pgjdbcName(parameter);
            if (fallbacks.keySet().stream().anyMatch(n -> ConnectionParameters.pgjdbcName(n).equals(target))) {
                return;
            }
            fallbacks.put(parameter, value);
            origins.put(parameter, variable);
        });
        fallbacks.forEach((name, value) -> {
            if (name.equals("password") || db.api.spi.ConfigKey.isSecretName(name)) {
                secrets.add(value);
            }
        });
        ConnectionUrl url = filled(written, fallbacks, origins, problems);
        Map<String, String> supplied = new LinkedHashMap<>();
        origins.forEach((name, origin) -> {
            if (!written.parameters().containsKey(name) && url.parameters().containsKey(name)) {
                supplied.put(name, origin);
            }
        });
        return new Resolved(url, Collections.unmodifiableMap(supplied), List.copyOf(secrets));
    }

    private static ConnectionUrl filled(ConnectionUrl written, Map<String, String> fallbacks,
                                        Map<String, String> origins, List<String> problems) {
        try {
            return written.withFallbacks(fallbacks, ConnectionParameters::pgjdbcName);
        } catch (IllegalArgumentException e) {
            problems.add(hostOrigins(origins) + ": " + e.getMessage());
            return written;
        }
    }

    /** The home directory as libpq finds it: {@code HOME}, else the JVM's {@code user.home}. */
    static Path home(Map<String, String> environment) {
        String home = environment.get("HOME");
        return Path.of(blank(home) ? System.getProperty("user.home") : home);
    }

    /**
     * A per-user libpq file: {@code ~/<unix>} (the home directory as libpq finds it), or on Windows
     * {@code %APPDATA%\postgresql\<windows>}, where libpq looks there.
     */
    static Path userFile(Map<String, String> environment, String unix, String windows) {
        String appData = environment.get("APPDATA");
        if (WINDOWS && !blank(appData)) {
            return Path.of(appData, "postgresql", windows);
        }
        return home(environment).resolve(unix);
    }

    private static String hostOrigins(Map<String, String> origins) {
        List<String> names = new ArrayList<>();
        for (String parameter : List.of("host", "hostaddr", "port")) {
            String origin = origins.get(parameter);
            if (origin != null && !names.contains(origin)) {
                names.add(origin);
            }
        }
        return names.isEmpty() ? "db.url" : String.join(", ", names);
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
