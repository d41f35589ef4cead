package db.api.internal;

import db.api.spi.ConfigKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Translates the parameters of a URL or DSN into pgjdbc's connection properties: every parameter libpq
 * documents is either mapped to its pgjdbc equivalent with libpq's meaning, or rejected saying why;
 * pgjdbc's own property names pass through unchanged (their values checked where pgjdbc would silently
 * misread them); anything else is an error. Never silently mis-passed.
 */
public final class ConnectionParameters {

    /** How one libpq parameter is handled. */
    private record Rule(String pgjdbcName, UnaryOperator<String> value, String rejection) {
    }

    private static final Map<String, Rule> LIBPQ = new LinkedHashMap<>();
    /** pgjdbc 42.7 property names (org.postgresql.PGProperty), passed through as written. */
    private static final Set<String> PGJDBC = Set.of("adaptiveFetch", "adaptiveFetchMaximum", "adaptiveFetchMinimum",
            "allowEncodingChanges", "ApplicationName", "assumeMinServerVersion", "authenticationPluginClassName",
            "autosave", "binaryTransfer", "binaryTransferDisable", "binaryTransferEnable", "cancelSignalTimeout",
            "channelBinding", "classLoaderStrategy", "cleanupSavepoints", "connectTimeout", "convertBooleanToNumeric",
            "currentSchema", "databaseMetadataCacheFields", "databaseMetadataCacheFieldsMiB", "defaultRowFetchSize",
            "disableColumnSanitiser", "escapeSyntaxCallMode", "flushCacheOnDdl", "groupStartupParameters",
            "gssEncMode", "gsslib", "gssResponseTimeout", "gssUseDefaultCreds", "hideUnprivilegedObjects",
            "hostRecheckSeconds", "jaasApplicationName", "jaasLogin", "kerberosServerName", "loadBalanceHosts",
            "localSocketAddress", "loginTimeout", "logServerErrorDetail", "logUnclosedConnections", "maxResultBuffer",
            "maxSendBufferSize", "options", "pemKeyAlgorithm", "preferQueryMode", "preparedStatementCacheQueries",
            "preparedStatementCacheSizeMiB", "prepareThreshold", "queryTimeout", "quoteReturningIdentifiers",
            "readOnly", "readOnlyMode", "receiveBufferSize", "requireAuth", "reWriteBatchedInserts",
            "reWriteBatchedInsertsSize", "scramMaxIterations", "sendBufferSize", "socketFactory", "socketFactoryArg",
            "socketTimeout", "ssl", "sslcert", "sslfactory", "sslfactoryarg", "sslhostnameverifier", "sslkey",
            "sslmode", "sslNegotiation", "sslpassword", "sslpasswordcallback", "sslResponseTimeout", "sslrootcert",
            "sspiServiceClass", "stringtype", "targetServerType", "tcpKeepAlive", "tcpNoDelay", "unknownLength",
            "useSpnego", "xmlFactoryFactory");
    /** pgjdbc properties read with Boolean.parseBoolean, where anything but "true" (say "1") means false. */
    private static final Set<String> PGJDBC_BOOLEANS = Set.of("adaptiveFetch", "allowEncodingChanges",
            "binaryTransfer", "cleanupSavepoints", "convertBooleanToNumeric", "disableColumnSanitiser",
            "flushCacheOnDdl", "groupStartupParameters", "gssUseDefaultCreds", "hideUnprivilegedObjects",
            "jaasLogin", "loadBalanceHosts", "logServerErrorDetail", "logUnclosedConnections",
            "quoteReturningIdentifiers", "readOnly", "reWriteBatchedInserts", "ssl", "tcpKeepAlive", "tcpNoDelay",
            "useSpnego");
    /** pgjdbc properties with a fixed set of values; pgjdbc fails every connect on any other. */
    private static final Map<String, List<String>> PGJDBC_CHOICES = Map.of(
            "targetServerType", List.of("any", "primary", "master", "slave", "secondary", "preferSlave",
                    "preferSecondary", "preferPrimary"),
            "sslmode", List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
            "gssEncMode", List.of("disable", "allow", "prefer", "require"),
            "channelBinding", List.of("disable", "prefer", "require"),
            "sslNegotiation", List.of("postgres", "direct"),
            "autosave", List.of("always", "never", "conservative"),
            "preferQueryMode", List.of("extended", "extendedForPrepared", "extendedCacheEverything", "simple"),
            "readOnlyMode", List.of("ignore", "transaction", "always"),
            "gsslib", List.of("auto", "sspi", "gssapi"),
            "stringtype", List.of("unspecified", "varchar"));
    /** Taken by the URL parser itself (hosts, database, credentials) or by DbConfig. */
    private static final Set<String> HANDLED = Set.of("host", "hostaddr", "port", "dbname", "user", "password",
            "fallback_application_name", "service", "passfile");
    /** libpq's (and pgjdbc's) require_auth methods; libpq 18's oauth is not one pgjdbc has. */
    /** Where libpq's sslcrl goes: pgjdbc has no such property; the engine's TLS socket factory reads this one. */
    private static final String SSLCRL_PROPERTY = "switchboard.sslcrl";
    private static final Set<String> AUTH_METHODS = Set.of("password", "md5", "gss", "sspi", "scram-sha-256", "none");

    static {
        same("options");
        map("application_name", "ApplicationName");
        map("connect_timeout", "connectTimeout", ConnectionParameters::connectTimeout);
        map("keepalives", "tcpKeepAlive", v -> oneOf(v, Map.of("1", "true", "0", "false"), "1 or 0"));
        reject("keepalives_idle", "set db.tcp-keepalive-idle instead (Switchboard's socket factory sets the "
                + "keepalive timers per connection)");
        reject("keepalives_interval", "set db.tcp-keepalive-interval instead (Switchboard's socket factory sets "
                + "the keepalive timers per connection)");
        reject("keepalives_count", "Switchboard's socket factory declares a peer dead after 4 unanswered probes; "
                + "tune db.tcp-keepalive-idle and db.tcp-keepalive-interval");
        reject("tcp_user_timeout", "Java sockets cannot set TCP_USER_TIMEOUT; use db.network-timeout");
        map("target_session_attrs", "targetServerType", v -> oneOf(v, Map.of("any", "any", "read-write", "primary",
                "primary", "primary", "read-only", "secondary", "standby", "secondary",
                "prefer-standby", "preferSecondary"), "any, read-write, read-only, primary, standby or prefer-standby"));
        map("load_balance_hosts", "loadBalanceHosts", v -> oneOf(v, Map.of("disable", "false", "random", "true"),
                "disable or random"));
        map("sslmode", "sslmode", v -> oneOf(v, Map.of("disable", "disable", "allow", "allow", "prefer", "prefer",
                "require", "require", "verify-ca", "verify-ca", "verify-full", "verify-full"),
                "disable, allow, prefer, require, verify-ca or verify-full"));
        map("requiressl", "sslmode", v -> oneOf(v, Map.of("1", "require", "0", "prefer"), "1 or 0"));
        same("sslcert");
        same("sslkey");
        same("sslrootcert");
        same("sslpassword");
        map("sslnegotiation", "sslNegotiation", v -> oneOf(v, Map.of("postgres", "postgres", "direct", "direct"),
                "postgres or direct"));
        map("channel_binding", "channelBinding", v -> oneOf(v, Map.of("disable", "disable", "prefer", "prefer",
                "require", "require"), "disable, prefer or require"));
        map("gssencmode", "gssEncMode", v -> oneOf(v, Map.of("disable", "disable", "prefer", "prefer",
                "require", "require"), "disable, prefer or require"));
        map("krbsrvname", "kerberosServerName");
        map("gsslib", "gsslib", v -> oneOf(v, Map.of("gssapi", "gssapi", "sspi", "sspi"), "gssapi or sspi"));
        map("require_auth", "requireAuth", ConnectionParameters::requireAuth);
        map("client_encoding", null, v -> oneOf(v, Map.of("utf8", "", "utf-8", "", "unicode", "", "auto", ""),
                "UTF8 (pgjdbc always speaks UTF8)"));
        map("sslsni", null, v -> oneOf(v, Map.of("1", ""), "1 (Java's TLS always sends the host name; it cannot be "
                + "turned off)"));
        map("sslcompression", null, v -> oneOf(v, Map.of("0", ""), "0 (no TLS library in use compresses any more)"));
        map("sslcertmode", null, v -> oneOf(v, Map.of("allow", ""), "allow (pgjdbc sends a client certificate "
                + "whenever sslcert names one)"));
        map("sslcrl", SSLCRL_PROPERTY);
        reject("sslcrldir", "Switchboard's TLS factory reads revocation lists from one file; name it in sslcrl");
        reject("ssl_min_protocol_version", "pgjdbc uses the JVM's TLS versions; set jdk.tls.client.protocols");
        reject("ssl_max_protocol_version", "pgjdbc uses the JVM's TLS versions; set jdk.tls.client.protocols");
        reject("sslkeylogfile", "pgjdbc cannot write TLS key logs");
        reject("requirepeer", "it applies to Unix-domain sockets, and pgjdbc connects over TCP");
        reject("replication", "a pool of replication connections is not supported");
        reject("gssdelegation", "pgjdbc cannot delegate GSS credentials");
        reject("min_protocol_version", "pgjdbc speaks protocol 3.0 only");
        reject("max_protocol_version", "pgjdbc speaks protocol 3.0 only");
        reject("scram_client_key", "pgjdbc cannot take SCRAM keys instead of a password");
        reject("scram_server_key", "pgjdbc cannot take SCRAM keys instead of a password");
        for (String oauth : List.of("oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope")) {
            reject(oauth, "pgjdbc does not support OAuth authentication");
        }
    }

    private ConnectionParameters() {
    }

    private static void same(String name) {
        LIBPQ.put(name, new Rule(name, UnaryOperator.identity(), null));
    }

    private static void map(String name, String pgjdbc) {
        LIBPQ.put(name, new Rule(pgjdbc, UnaryOperator.identity(), null));
    }

    private static void map(String name, String pgjdbc, UnaryOperator<String> value) {
        LIBPQ.put(name, new Rule(pgjdbc, value, null));
    }

    private static void reject(String name, String why) {
        LIBPQ.put(name, new Rule(null, null, why));
    }

    /** The libpq parameter names this table knows (for the README and tests). */
    public static Set<String> libpqNames() {
        Set<String> names = new java.util.TreeSet<>(LIBPQ.keySet());
        names.addAll(HANDLED);
        return Collections.unmodifiableSet(names);
    }

    /**
     * The pgjdbc property a libpq or pgjdbc parameter name becomes ({@code application_name} and
     * {@code ApplicationName} both {@code ApplicationName}; {@code requiressl} {@code sslmode}), or the name
     * itself: two names with the same answer set the same thing.
     */
    public static String pgjdbcName(String name) {
        Rule rule = LIBPQ.get(name);
        return rule != null && rule.pgjdbcName() != null ? rule.pgjdbcName() : name;
    }

    /** Whether libpq's {@code name} is rejected. */
    public static boolean rejected(String name) {
        Rule rule = LIBPQ.get(name);
        return rule != null && rule.rejection() != null;
    }

    /**
     * pgjdbc properties for {@code parameters} (libpq or pgjdbc names, in the order written); every problem
     * goes to {@code problems}, naming the parameter and quoting its value only when it is not secret.
     */
    public static Map<String, String> translate(Map<String, String> parameters, Set<String> afterSecret,
                                                List<String> problems) {
        return translate(parameters, afterSecret, Map.of(), problems);
    }

    /**
     * Like {@link #translate(Map, Set, List)}, for parameters some of which came from libpq's lower sources:
     * {@code origins} names where ({@code PGSSLMODE}, {@code service 'x' (/path)}), and each problem starts
     * with it instead of {@code db.url}.
     */
    public static Map<String, String> translate(Map<String, String> parameters, Set<String> afterSecret,
                                                Map<String, String> origins, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            String source = origins.getOrDefault(name, "db.url");
            boolean hidden = ConfigKey.isSecretName(name) || afterSecret.contains(name);
            String shown = hidden ? "(value hidden)" : "'" + value + "'";
            if (afterSecret.contains(name) && !LIBPQ.containsKey(name) && !PGJDBC.contains(name)
                    && !HANDLED.contains(name)) {
                problems.add(source + ": an unknown parameter follows a password parameter (its name is not shown: "
                        + "is an '&' or a space inside the password not percent-encoded or quoted?)");
                return;
            }
            Rule rule = LIBPQ.get(name);
            if (HANDLED.contains(name)) {
                return;
            }
            if (rule != null) {
                if (rule.rejection() != null) {
                    problems.add(source + ": the libpq parameter " + name + " is not supported: " + rule.rejection());
                    return;
                }
                try {
                    String mapped = rule.value().apply(value);
                    if (rule.pgjdbcName() != null) {
                        out.put(rule.pgjdbcName(), mapped);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(source + ": parameter " + name + "=" + shown + " " + e.getMessage());
                }
                return;
            }
            if (PGJDBC.contains(name)) {
                String problem = checkPgjdbc(name, value);
                if (problem != null) {
                    problems.add(source + ": parameter " + name + "=" + shown + " " + problem);
                } else {
                    out.put(name, value);
                }
                return;
            }
            problems.add(source + ": unknown parameter " + quoteName(name) + suggestion(name)
                    + " (neither a libpq connection parameter nor a pgjdbc property)");
        });
        SslNegotiation.check(out, problems);
        return out;
    }

    private static String checkPgjdbc(String name, String value) {
        if (PGJDBC_BOOLEANS.contains(name) && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            return "is not true or false (pgjdbc would read it as false)";
        }
        if (name.equals("requireAuth")) {
            try {
                requireAuth(value);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        List<String> choices = PGJDBC_CHOICES.get(name);
        if (choices != null && !choices.contains(value)) {
            return "is not one of " + String.join(", ", choices);
        }
        return null;
    }

    /** A parameter name is quoted only when it looks like one, so text that spilled out of a value is not. */
    private static String quoteName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,63}") && !ConfigKey.isSecretName(name)
                ? "'" + name + "'" : "(a name that is not a parameter name: is a value missing its quotes or "
                + "percent-encoding?)";
    }

    private static String suggestion(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> all = new ArrayList<>(LIBPQ.keySet());
        all.addAll(PGJDBC);
        all.addAll(HANDLED);
        for (String candidate : all) {
            int d = ConfigRegistry.distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 5) && quoteName(name).startsWith("'")
                ? " (did you mean " + best + "?)" : "";
    }

    private static String oneOf(String value, Map<String, String> mapping, String expected) {
        String mapped = mapping.get(value.trim().toLowerCase(Locale.ROOT));
        if (mapped == null) {
            throw new IllegalArgumentException("is not " + expected);
        }
        return mapped;
    }

    /**
     * libpq 16's require_auth: a comma-separated list of methods, all allowed or all forbidden ({@code !md5});
     * pgjdbc (42.7.11+) reads the same syntax, but only at connect time: checked here so it is a
     * ConfigException instead.
     */
    private static String requireAuth(String value) {
        String[] methods = value.split(",", -1);
        Set<String> seen = new java.util.HashSet<>();
        Boolean negated = null;
        for (String raw : methods) {
            String method = raw.trim();
            boolean not = method.startsWith("!");
            String name = not ? method.substring(1) : method;
            if (negated != null && negated != not) {
                throw new IllegalArgumentException("mixes allowed and forbidden (!) methods, which libpq refuses");
            }
            negated = not;
            if (name.equals("oauth")) {
                throw new IllegalArgumentException("names oauth, which pgjdbc does not support");
            }
            if (!AUTH_METHODS.contains(name)) {
                throw new IllegalArgumentException("is not a list of password, md5, gss, sspi, scram-sha-256 or none "
                        + "(each optionally negated with !)");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("names " + name + " twice");
            }
        }
        return value;
    }

    /** libpq: whole seconds; 0 or less waits forever, which Switchboard never does. */
    private static String connectTimeout(String value) {
        int seconds;
        try {
            seconds = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a whole number of seconds");
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException("would wait forever; give a number of seconds (or use db.connect-timeout)");
        }
        // libpq rounds 1 up to 2 seconds, because it may be reached a moment after the attempt starts.
        return Integer.toString(Math.max(2, seconds));
    }
}
