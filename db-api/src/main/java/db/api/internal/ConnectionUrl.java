package db.api.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection target parsed from any of the three forms users write: a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db?sslmode=require}), a libpq URI
 * ({@code postgresql://user:pw@host:5432/db?sslmode=require}) or a libpq key/value DSN
 * ({@code host=h port=5432 dbname=db user=u}). User and password are taken out of the parameters so
 * that {@link #toJdbcUrl()} never carries them.
 */
public final class ConnectionUrl {

    /** libpq parameter names that pgjdbc spells differently. */
    private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "target_session_attrs", "targetServerType",
            "sslrootcert", "sslrootcert",
            "keepalives", "tcpKeepAlive");

    private static final Pattern MASK_URI_PASSWORD = Pattern.compile("(://[^:/@?#]*:)([^@/?#]*)(@)");
    private static final Pattern MASK_PARAM_PASSWORD =
            Pattern.compile("((?:^|[?&\\s;])password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^&\\s;]*)",
                    Pattern.CASE_INSENSITIVE);

    private final List<HostPort> hosts;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> parameters;

    private ConnectionUrl(List<HostPort> hosts, String database, String user, String password,
                          Map<String, String> parameters) {
        this.hosts = List.copyOf(hosts);
        this.database = database;
        this.user = user;
        this.password = password;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** One host of a (possibly multi-host) URL. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Parses any of the three forms.
     *
     * @throws IllegalArgumentException saying what is wrong, never echoing the password
     */
    public static ConnectionUrl parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the URL is empty");
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return parseJdbc(s.substring("jdbc:postgresql:".length()));
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return parseUri(s.substring(s.indexOf("://") + 3), true);
        }
        if (lower.startsWith("jdbc:")) {
            throw new IllegalArgumentException("'" + mask(s) + "' is not a PostgreSQL JDBC URL "
                    + "(expected jdbc:postgresql://host:port/database)");
        }
        if (s.contains("=")) {
            return parseKeyValue(s);
        }
        throw new IllegalArgumentException("'" + mask(s) + "' is neither a JDBC URL (jdbc:postgresql://host/db), "
                + "a libpq URI (postgresql://user@host/db) nor a key/value DSN (host=... dbname=...)");
    }

    private static ConnectionUrl parseJdbc(String rest) {
        if (rest.startsWith("//")) {
            return parseUri(rest.substring(2), false);
        }
        // jdbc:postgresql:database  (localhost:5432)
        int q = rest.indexOf('?');
        String db = decode(q < 0 ? rest : rest.substring(0, q));
        Map<String, String> params = q < 0 ? new LinkedHashMap<>() : parseQuery(rest.substring(q + 1), false);
        return build(List.of(new HostPort("localhost", 5432)), db, params, null, null);
    }

    /** Parses {@code [user[:password]@]host[:port][,host[:port]...][/database][?k=v&...]}. */
    private static ConnectionUrl parseUri(String rest, boolean libpq) {
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String userInfo = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String hostPart = rest;
        String db = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            hostPart = rest.substring(0, slash);
            db = decode(rest.substring(slash + 1));
        }
        List<HostPort> hosts = parseHosts(hostPart);
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        Map<String, String> params = parseQuery(query, libpq);
        return build(hosts, db, params, user, password);
    }

    private static List<HostPort> parseHosts(String hostPart) {
        List<HostPort> hosts = new ArrayList<>();
        if (hostPart.isEmpty()) {
            hosts.add(new HostPort("localhost", 5432));
            return hosts;
        }
        for (String one : hostPart.split(",")) {
            String host;
            String port = null;
            if (one.startsWith("[")) {
                int close = one.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in host '" + one + "'");
                }
                host = one.substring(1, close);
                if (one.length() > close + 1 && one.charAt(close + 1) == ':') {
                    port = one.substring(close + 2);
                }
            } else {
                int colon = one.lastIndexOf(':');
                host = colon < 0 ? one : one.substring(0, colon);
                port = colon < 0 ? null : one.substring(colon + 1);
            }
            host = decode(host);
            if (host.isEmpty()) {
                host = "localhost";
            }
            hosts.add(new HostPort(host, parsePort(port)));
        }
        return hosts;
    }

    private static int parsePort(String port) {
        if (port == null || port.isEmpty()) {
            return 5432;
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + port + "' is not a number between 1 and 65535");
        }
    }

    private static Map<String, String> parseQuery(String query, boolean libpq) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.put(libpq ? LIBPQ_TO_PGJDBC.getOrDefault(key, key) : key, value);
        }
        return params;
    }

    /** Parses {@code key=value key='quoted value' ...} as libpq does (backslash escapes in quotes). */
    private static ConnectionUrl parseKeyValue(String s) {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(keyStart, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                throw new IllegalArgumentException("missing '=' after '" + key + "' in the key/value DSN");
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(s.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted value for '" + key + "' in the key/value DSN");
                }
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(s.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            values.put(key, value.toString());
        }
        String hostList = values.remove("host");
        if (hostList == null) {
            hostList = values.remove("hostaddr");
        } else {
            values.remove("hostaddr");
        }
        String portList = values.remove("port");
        List<HostPort> hosts = new ArrayList<>();
        String[] hostNames = hostList == null ? new String[] {"localhost"} : hostList.split(",");
        String[] ports = portList == null ? new String[0] : portList.split(",");
        for (int h = 0; h < hostNames.length; h++) {
            String port = ports.length == 0 ? null : ports[Math.min(h, ports.length - 1)];
            hosts.add(new HostPort(hostNames[h].isEmpty() ? "localhost" : hostNames[h], parsePort(port)));
        }
        String db = values.remove("dbname");
        String user = values.remove("user");
        String password = values.remove("password");
        Map<String, String> params = new LinkedHashMap<>();
        values.forEach((k, v) -> params.put(LIBPQ_TO_PGJDBC.getOrDefault(k, k), v));
        return build(hosts, db, params, user, password);
    }

    private static ConnectionUrl build(List<HostPort> hosts, String db, Map<String, String> params,
                                      String user, String password) {
        String u = params.remove("user");
        String p = params.remove("password");
        String dbParam = params.remove("dbname");
        if (db == null || db.isEmpty()) {
            db = dbParam;
        }
        return new ConnectionUrl(hosts, db, user != null ? user : u, password != null ? password : p, params);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad percent-encoding in '" + mask(s) + "'");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Hides the password in any of the three forms: {@code user:****@host}, {@code password=****}.
     * Used wherever a URL the user wrote must be shown.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = MASK_URI_PASSWORD.matcher(text).replaceAll("$1****$3");
        return MASK_PARAM_PASSWORD.matcher(masked).replaceAll("$1****");
    }

    /** The hosts, in order. */
    public List<HostPort> hosts() {
        return hosts;
    }

    /** The database name, or {@code null} when the URL names none. */
    public String database() {
        return database;
    }

    /** The user from the URL, or {@code null}. */
    public String user() {
        return user;
    }

    /** The password from the URL, or {@code null}. */
    public String password() {
        return password;
    }

    /** Driver parameters, without user and password. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * The pgjdbc URL: {@code jdbc:postgresql://host:port[,host:port]/database}, without any parameter
     * (they travel as driver properties) and never a user or password.
     */
    public String toJdbcUrl() {
        StringBuilder sb = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(hosts.get(i));
        }
        return sb.append('/').append(database == null ? "" : encode(database)).toString();
    }

    @Override
    public String toString() {
        return toJdbcUrl();
    }
}
