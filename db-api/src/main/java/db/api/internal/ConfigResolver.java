package db.api.internal;

import db.api.ConfigException;
import db.api.DbKeys;
import db.api.spi.ConfigKey;
import db.api.spi.ConfigKeySource;
import db.api.spi.PasswordSupplier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Resolves what a {@link db.api.DbConfig.Builder} holds into the values of a configuration: parses every
 * declared key, the URL or DSN with libpq's sources beneath it (service file, variables, password file),
 * translates the parameters to pgjdbc's names, lets every {@link ConfigKeySource} check them (the engine's
 * applies the TLS rules), and checks it all, reporting every problem at once in one {@link ConfigException}
 * scrubbed of every secret.
 */
public final class ConfigResolver {
    /** The prefix of Switchboard's keys: one under it that nobody declares is an error. */
    public static final String PREFIX = "db.";
    /** The keys {@code DbConfig.toString()} shows by name, so it does not list them again among the others. */
    public static final List<String> SHOWN_BY_NAME = Stream.of(DbKeys.URL, DbKeys.USER, DbKeys.PASSWORD,
            DbKeys.POOL_MIN_SIZE, DbKeys.POOL_MAX_SIZE, DbKeys.POOL_CHECKOUT_TIMEOUT, DbKeys.POOL_IDLE_TIMEOUT,
            DbKeys.POOL_MAX_LIFETIME, DbKeys.POOL_LEAK_THRESHOLD, DbKeys.POOL_NAME, DbKeys.POOL_FAIL_FAST,
            DbKeys.CONNECT_TIMEOUT, DbKeys.STATEMENT_TIMEOUT, DbKeys.APPLICATION_NAME, DbKeys.SESSION_PROVIDER)
            .map(ConfigKey::name).collect(Collectors.toUnmodifiableList());
    private static final String URL = DbKeys.URL.name();
    private static final String USER = DbKeys.USER.name();
    private static final String PASSWORD = DbKeys.PASSWORD.name();
    private static final String POOL_MIN_SIZE = DbKeys.POOL_MIN_SIZE.name();
    private static final String POOL_MAX_SIZE = DbKeys.POOL_MAX_SIZE.name();
    private static final String CONNECT_TIMEOUT = DbKeys.CONNECT_TIMEOUT.name();
    private static final String APPLICATION_NAME = DbKeys.APPLICATION_NAME.name();

    private ConfigResolver() {
    }

    /**
     * What a configuration holds once resolved.
     *
     * @param url             the URL with libpq's lower sources applied
     * @param parameters      the connection parameters in pgjdbc's names
     * @param user            the role, or null
     * @param password        the password, or null
     * @param applicationName the {@code application_name} sent to the server
     * @param typed           the parsed values of the declared keys that were set
     * @param keys            the keys known when resolving
     * @param warnings        what was ignored with a warning, free of secrets
     */
    public record Resolved(ConnectionUrl url, Map<String, String> parameters, String user, String password,
                           String applicationName, Map<String, Object> typed, Map<String, ConfigKey<?>> keys,
                           List<String> warnings) {
        @Override
        public String toString() {
            return "Resolved[url=" + url.toJdbcUrl() + ", user=" + user + ", password=" + (password == null ? "(none)" : "****")
                    + "]";
        }
    }

    /**
     * Resolves and validates.
     *
     * @param values      the raw values as set (builder, properties, system properties)
     * @param environment the {@code DB_*} environment variables seen
     * @param libpq       libpq's variables seen ({@code PG*}, {@code HOME}, {@code APPDATA})
     * @param extensions  the classes objects were registered under ({@link PasswordSupplier} means no password file)
     * @param layers      the layers whose modules' keys are known as well
     * @param declared    the keys declared on the builder
     * @return the resolved values
     * @throws ConfigException listing every problem
     */
    public static Resolved resolve(Map<String, String> values, Map<String, String> environment,
                                   Map<String, String> libpq, Set<Class<?>> extensions, List<ModuleLayer> layers,
                                   List<ConfigKey<?>> declared) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ConfigKeySource> sources = ConfigRegistry.sources(layers, problems);
        Map<String, ConfigKey<?>> keys = ConfigRegistry.keys(declared, sources);
        Map<String, Object> typed = new LinkedHashMap<>();

        for (String key : values.keySet()) {
            if (key.startsWith(PREFIX) && !keys.containsKey(key)) {
                problems.add(ConfigRegistry.unknownKey(key, keys.keySet()));
            }
        }
        for (ConfigKey<?> key : keys.values()) {
            String raw = values.get(key.name());
            if (raw == null) {
                raw = environment.get(key.envName());
            }
            if (raw == null || raw.isBlank()) {
                continue;
            }
            try {
                typed.put(key.name(), key.parse(raw));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }

        ConnectionUrl url = null;
        Map<String, String> parameters = Map.of();
        List<String> foundSecrets = new ArrayList<>();
        libpq.forEach((variable, value) -> {
            if (variable.contains("PASSWORD")) {
                foundSecrets.add(value);
            }
        });
        String rawUrl = (String) typed.get(URL);
        ConnectionUrl written = null;
        if (rawUrl != null) {
            try {
                written = ConnectionUrl.parse(rawUrl);
            } catch (IllegalArgumentException e) {
                problems.add(URL + ": " + e.getMessage());
            }
        } else if (LibpqEnvironment.namesTarget(libpq)) {
            written = ConnectionUrl.unwritten();
        } else if (problems.stream().noneMatch(p -> p.startsWith(URL + ":"))) {
            problems.add(URL + " is required (a JDBC URL like jdbc:postgresql://localhost:5432/app, "
                    + "a URI like postgresql://user@localhost/app, or a DSN like 'host=localhost dbname=app'; "
                    + "environment variable " + ConfigKey.envName(URL) + "; or libpq's PGHOST, PGDATABASE or PGSERVICE)");
        }
        if (written != null) {
            LibpqEnvironment.Resolved resolved = LibpqEnvironment.beneath(written, libpq, problems);
            url = resolved.url();
            foundSecrets.addAll(resolved.secrets());
            if (url.database() == null || url.database().isEmpty()) {
                problems.add(URL + " names no database (add /name to a URL, or dbname=name to a DSN)");
            }
            Map<String, String> translated = ConnectionParameters.translate(url.parameters(),
                    url.parametersAfterSecret(), resolved.origins(), problems);
            // The engine's checks (TLS files and socket factory, the pgjdbc on the path) and any other module's.
            sources.forEach(source -> source.checkParameters(translated, problems));
            // An explicit key beats what libpq's lower sources supply (a value written in the URL still
            // beats the key, as before: see DriverProperties).
            resolved.origins().keySet().forEach(name -> {
                String property = ConnectionParameters.pgjdbcName(name);
                if ((property.equals("ApplicationName") && typed.containsKey(APPLICATION_NAME))
                        || (property.equals("connectTimeout") && typed.containsKey(CONNECT_TIMEOUT))) {
                    translated.remove(property);
                }
            });
            parameters = translated;
        }

        String user = (String) typed.get(USER);
        if (user == null && url != null) {
            user = url.user();
        }
        String password = values.get(PASSWORD);
        if (password == null) {
            password = environment.get(ConfigKey.envName(PASSWORD));
        }
        if (password == null && url != null) {
            password = url.password();
        }
        boolean passwordFileRead = false;
        if (password == null && url != null && !extensions.contains(PasswordSupplier.class)) {
            PasswordFile.Lookup lookup = PasswordFile.find(PasswordFile.location(url, libpq), url,
                    user != null ? user : System.getProperty("user.name"), problems, warnings);
            password = lookup.password();
            passwordFileRead = lookup.fileExists();
            if (password != null) {
                foundSecrets.add(password);
            }
        }

        Integer min = (Integer) typed.get(POOL_MIN_SIZE);
        Integer max = (Integer) typed.get(POOL_MAX_SIZE);
        int minSize = min != null ? min : DbKeys.POOL_MIN_SIZE.defaultValue().orElseThrow();
        int maxSize = max != null ? max : DbKeys.POOL_MAX_SIZE.defaultValue().orElseThrow();
        boolean sizesValid = problems.stream().noneMatch(p -> p.startsWith(POOL_MIN_SIZE) || p.startsWith(POOL_MAX_SIZE));
        if (minSize > maxSize && sizesValid) {
            problems.add(POOL_MIN_SIZE + " (" + minSize + ") must not exceed " + POOL_MAX_SIZE + " (" + maxSize + ")");
        }

        if (!problems.isEmpty()) {
            List<String> secrets = secrets(values, environment, keys, url);
            secrets.addAll(foundSecrets);
            throw new ConfigException(Secrets.scrub(problems, secrets));
        }
        String applicationName = parameters.get("ApplicationName");
        if (applicationName == null) {
            applicationName = (String) typed.get(APPLICATION_NAME);
        }
        if (applicationName == null) {
            applicationName = url.parameters().get("fallback_application_name");
        }
        if (applicationName == null) {
            applicationName = DbKeys.APPLICATION_NAME.defaultValue().orElseThrow();
        }
        if (passwordFileRead && password == null && !parameters.containsKey("password")) {
            // pgjdbc would read the same file by its own rules, which check no permissions
            parameters = new LinkedHashMap<>(parameters);
            parameters.put("password", "");
        }
        return new Resolved(url, parameters, user, password, applicationName, typed, keys, warnings);
    }

    /** Every secret value the sources hold, to scrub from problem messages as a last line of defence. */
    private static List<String> secrets(Map<String, String> values, Map<String, String> environment,
                                        Map<String, ConfigKey<?>> keys, ConnectionUrl url) {
        List<String> secrets = new ArrayList<>();
        Map<String, String> all = new LinkedHashMap<>();
        environment.forEach((k, v) -> all.put(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v));
        all.putAll(values);
        all.forEach((k, v) -> {
            ConfigKey<?> key = keys.get(k);
            if ((key != null && key.isSecret()) || ConfigKey.isSecretName(k)) {
                secrets.add(v);
            }
        });
        String rawUrl = values.getOrDefault(URL, environment.get(ConfigKey.envName(URL)));
        if (rawUrl != null) {
            secrets.addAll(Secrets.candidates(rawUrl));
        }
        if (url != null) {
            if (url.password() != null) {
                secrets.add(url.password());
            }
            url.parameters().forEach((k, v) -> {
                if (ConfigKey.isSecretName(k)) {
                    secrets.add(v);
                }
            });
        }
        return secrets;
    }
}
