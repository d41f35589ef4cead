package db.api.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection target parsed from any of the three forms users write: a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db?sslmode=require}), a libpq URI
 * ({@code postgresql://user:pw@host:5432/db?sslmode=require}) or a libpq key/value DSN
 * ({@code host=h port=5432 dbname=db user=u}). All three may name several hosts
 * ({@code host=a,b port=5432,5433}, {@code postgresql://a:1,b:2/db}, {@code jdbc:postgresql://a:1,b:2/db}).
 * User and password are taken out of the parameters; the other parameters are kept as written (their
 * translation to pgjdbc is {@link ConnectionParameters}'s). Problems are reported without quoting any
 * part of the text that could hold a password.
 */
public final class ConnectionUrl {

    /** A secret-looking parameter in a URI query or a DSN: everything after its '=' is masked. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(^|[?&;\\s])([A-Za-z0-9_.-]*(password|passwd|pwd|secret|token|credential|key)[A-Za-z0-9_.-]*)\\s*=",
            Pattern.CASE_INSENSITIVE);
    private static final int DEFAULT_PORT = 5432;

    private final List<HostPort> hosts;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> parameters;
    /** Parameter names written after a secret parameter: they may be spill-over of an unencoded secret. */
    private final java.util.Set<String> afterSecret;
    /** Whether a host (or hostaddr) was written; when not, libpq's lower sources may supply one. */
    private final boolean hostWritten;
    /** Whether any port was written. */
    private final boolean portWritten;

    private ConnectionUrl(List<HostPort> hosts, String database, String user, String password,
                          Map<String, String> parameters, java.util.Set<String> afterSecret,
                          boolean hostWritten, boolean portWritten) {
        this.afterSecret = java.util.Set.copyOf(afterSecret);
        this.hostWritten = hostWritten;
        this.portWritten = portWritten;
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
     * @throws IllegalArgumentException saying what is wrong, never quoting the password or text around it
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
            return parseUri(s.substring(s.indexOf("://") + 3));
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
            return parseUri(rest.substring(2));
        }
        // jdbc:postgresql:database  (localhost:5432)
        int q = rest.indexOf('?');
        String db = decode(q < 0 ? rest : rest.substring(0, q), "the database name");
        java.util.Set<String> afterSecret = new java.util.HashSet<>();
        Map<String, String> params = q < 0 ? new LinkedHashMap<>() : parseQuery(rest.substring(q + 1), afterSecret);
        // No host and no port written: libpq's lower sources (PGHOST, PGPORT, a service) may supply them.
        return build(List.of(new HostPort("localhost", DEFAULT_PORT)), db, params, null, null, afterSecret,
                false, false);
    }

    /**
     * Parses {@code [user[:password]@]host[:port][,host[:port]...][/database][?k=v&...]}. The user info
     * ends at the last '@' before the path, so an unencoded '@', '/', '#', '?' or ';' in a password does
     * not spill it into the host or the query.
     */
    private static ConnectionUrl parseUri(String rest) {
        String userInfo = null;
        int at = lastUserInfoEnd(rest);
        if (at >= 0) {
            userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String hostPart = rest;
        String db = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            hostPart = rest.substring(0, slash);
            db = decode(rest.substring(slash + 1), "the database name");
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "the user name");
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "the password");
        }
        java.util.Set<String> afterSecret = new java.util.HashSet<>();
        Map<String, String> params = parseQuery(query, afterSecret);
        List<HostPort> hosts;
        String queryHost = params.remove("host");
        String queryPort = params.remove("port");
        String queryAddr = params.remove("hostaddr");
        boolean hostWritten = queryHost != null || queryAddr != null || !hostPart.isEmpty();
        boolean portWritten = queryPort != null;
        if (queryHost != null || queryAddr != null) {
            if (!hostPart.isEmpty()) {
                throw new IllegalArgumentException("hosts are given both before the path and as the 'host' parameter");
            }
            hosts = hostList(queryHost, queryAddr, queryPort);
        } else {
            hosts = parseHosts(hostPart, queryPort);
            portWritten |= hostPortWritten(hostPart);
        }
        return build(hosts, db, params, user, password, afterSecret, hostWritten, portWritten);
    }

    /**
     * Where the user info ends: the last '@', so that an unencoded '@', '/', '#' or ';' in a password stays
     * in the password; but an '@' after the first '?' belongs to the query (options=-c x=a@b), and then
     * the user info, if any, ends at the last '@' before that '?'. -1 when there is none.
     */
    private static int lastUserInfoEnd(String rest) {
        int last = rest.lastIndexOf('@');
        int q = rest.indexOf('?');
        if (last < 0 || q < 0 || last < q) {
            return last;
        }
        return rest.lastIndexOf('@', q);
    }

    /** Whether any host of {@code a:1,[::1]:2,b} carries a port. */
    private static boolean hostPortWritten(String hostPart) {
        for (String one : hostPart.split(",", -1)) {
            int close = one.startsWith("[") ? one.indexOf(']') : -1;
            if (one.indexOf(':', close + 1) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static List<HostPort> parseHosts(String hostPart, String portList) {
        List<HostPort> hosts = new ArrayList<>();
        if (hostPart.isEmpty()) {
            return hostList(null, null, portList);
        }
        String[] parts = hostPart.split(",", -1);
        String[] ports = portList == null ? null : portList.split(",", -1);
        if (ports != null && ports.length != 1 && ports.length != parts.length) {
            throw portCount(ports.length, parts.length);
        }
        for (int i = 0; i < parts.length; i++) {
            String one = parts[i];
            String host;
            String port = null;
            if (one.startsWith("[")) {
                int close = one.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("host " + (i + 1) + " opens '[' and never closes it");
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
            if (port == null && ports != null) {
                port = ports[ports.length == 1 ? 0 : i];
            }
            hosts.add(new HostPort(host(decode(host, "a host name"), i), parsePort(port, i)));
        }
        return hosts;
    }

    /** libpq's lists: {@code host=a,b port=1,2}; one port for all hosts, or one per host. */
    private static List<HostPort> hostList(String hostList, String addrList, String portList) {
        if (hostList != null && addrList != null) {
            throw new IllegalArgumentException("host and hostaddr are both given; pgjdbc cannot connect to one "
                    + "address and check another name, so give only one of them");
        }
        String list = hostList != null ? hostList : addrList;
        String[] names = list == null ? new String[] {""} : list.split(",", -1);
        String[] ports = portList == null ? null : portList.split(",", -1);
        if (ports != null && ports.length != 1 && ports.length != names.length) {
            throw portCount(ports.length, names.length);
        }
        List<HostPort> hosts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String port = ports == null ? null : ports[ports.length == 1 ? 0 : i];
            hosts.add(new HostPort(host(names[i].trim(), i), parsePort(port, i)));
        }
        return hosts;
    }

    private static String host(String host, int index) {
        if (host.isEmpty()) {
            return "localhost";
        }
        if (host.startsWith("/") || host.startsWith("@")) {
            throw new IllegalArgumentException("host " + (index + 1) + " is a Unix-domain socket directory; "
                    + "pgjdbc connects over TCP only (use localhost)");
        }
        return host;
    }

    private static IllegalArgumentException portCount(int ports, int hosts) {
        return new IllegalArgumentException(ports + " ports for " + hosts + " hosts (give one port for all "
                + "hosts, or one per host)");
    }

    private static int parsePort(String port, int index) {
        if (port == null || port.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int p = Integer.parseInt(port.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            // Not quoted: with an unencoded '?' or '/' in a password, this may be a piece of it.
            throw new IllegalArgumentException("the port of host " + (index + 1)
                    + " is not a number between 1 and 65535");
        }
    }

    private static Map<String, String> parseQuery(String query, java.util.Set<String> afterSecret) {
        Map<String, String> params = new LinkedHashMap<>();
        boolean secretSeen = false;
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                // Not quoted: most likely the rest of a value that held an unencoded '&'.
                throw new IllegalArgumentException("a query parameter has no '=' (is an '&' inside a value, "
                        + "for example a password, not percent-encoded as %26?)");
            }
            String key = decode(pair.substring(0, eq), "a parameter name");
            String value = decode(pair.substring(eq + 1), "the value of a parameter");
            params.put(key, value);
            if (secretSeen) {
                afterSecret.add(key);
            }
            secretSeen |= db.api.spi.ConfigKey.isSecretName(key);
        }
        return params;
    }

    /** Parses {@code key=value key='quoted value' ...} as libpq does (backslash escapes). */
    private static ConnectionUrl parseKeyValue(String s) {
        Map<String, String> values = new LinkedHashMap<>();
        java.util.Set<String> afterSecret = new java.util.HashSet<>();
        boolean secretSeen = false;
        int i = 0;
        int n = s.length();
        String previous = null;
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
                // The word is not quoted: it may be the rest of an unquoted value with a space (a password).
                throw new IllegalArgumentException("a word without '=' follows "
                        + (previous == null ? "the start" : "the value of " + previous)
                        + " in the key/value DSN (quote values with spaces: key='a b')");
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
                    throw new IllegalArgumentException("the quoted value of " + safeName(key)
                            + " is never closed in the key/value DSN");
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
            if (secretSeen) {
                afterSecret.add(key);
            }
            secretSeen |= db.api.spi.ConfigKey.isSecretName(key);
            previous = safeName(key);
        }
        String host = values.remove("host");
        String hostaddr = values.remove("hostaddr");
        String port = values.remove("port");
        List<HostPort> hosts = hostList(host, hostaddr, port);
        String db = values.remove("dbname");
        String user = values.remove("user");
        String password = values.remove("password");
        return build(hosts, db, values, user, password, afterSecret, host != null || hostaddr != null, port != null);
    }

    private static String safeName(String key) {
        return key.matches("[A-Za-z_][A-Za-z0-9_.-]{0,63}") ? "'" + key + "'" : "a parameter";
    }

    private static ConnectionUrl build(List<HostPort> hosts, String db, Map<String, String> params,
                                      String user, String password, java.util.Set<String> afterSecret,
                                      boolean hostWritten, boolean portWritten) {
        String u = params.remove("user");
        String p = params.remove("password");
        String dbParam = params.remove("dbname");
        if (db == null || db.isEmpty()) {
            db = dbParam;
        }
        return new ConnectionUrl(hosts, db, user != null ? user : u, password != null ? password : p, params,
                afterSecret, hostWritten, portWritten);
    }

    /**
     * A target with nothing written ({@code localhost:5432}, no database): the start when no URL is given
     * and libpq's lower sources ({@code PGHOST}, {@code PGDATABASE}, a service) describe the connection.
     */
    public static ConnectionUrl unwritten() {
        return new ConnectionUrl(List.of(new HostPort("localhost", DEFAULT_PORT)), null, null, null, Map.of(),
                java.util.Set.of(), false, false);
    }

    /**
     * This target with libpq's lower sources beneath it: each of {@code fallbacks} (libpq parameter names:
     * {@code host}, {@code hostaddr}, {@code port}, {@code dbname}, {@code user}, {@code password} and any
     * other) is used only where this URL wrote nothing for it. A parameter counts as written when a written
     * one has the same {@code target} (the pgjdbc property both become: {@code PGAPPNAME} does not add
     * {@code application_name} beneath a written {@code ApplicationName}). Hosts and hostaddr are one unit:
     * written hosts are never mixed with a fallback hostaddr.
     *
     * @throws IllegalArgumentException when the fallback hosts or ports do not fit (never quoting a secret)
     */
    public ConnectionUrl withFallbacks(Map<String, String> fallbacks, java.util.function.UnaryOperator<String> target) {
        List<HostPort> newHosts = hosts;
        boolean newHostWritten = hostWritten;
        boolean newPortWritten = portWritten;
        String fallbackHost = fallbacks.get("host");
        String fallbackAddr = fallbacks.get("hostaddr");
        String fallbackPort = fallbacks.get("port");
        if (!hostWritten && (fallbackHost != null || fallbackAddr != null)) {
            String ports = portWritten ? Integer.toString(hosts.get(0).port()) : fallbackPort;
            newHosts = hostList(fallbackHost, fallbackAddr, ports);
            newHostWritten = true;
            newPortWritten = ports != null;
        } else if (!portWritten && fallbackPort != null) {
            String[] ports = fallbackPort.split(",", -1);
            if (ports.length != 1 && ports.length != hosts.size()) {
                throw portCount(ports.length, hosts.size());
            }
            List<HostPort> reported = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                reported.add(new HostPort(hosts.get(i).host(), parsePort(ports[ports.length == 1 ? 0 : i], i)));
            }
            newHosts = reported;
            newPortWritten = true;
        }
        String newDatabase = database == null || database.isEmpty() ? fallbacks.get("dbname") : database;
        String newUser = user != null ? user : fallbacks.get("user");
        String newPassword = password != null ? password : fallbacks.get("password");
        Map<String, String> newParameters = new LinkedHashMap<>(parameters);
        java.util.Set<String> targets = new java.util.HashSet<>();
        parameters.keySet().forEach(name -> targets.add(target.apply(name)));
        java.util.Set<String> taken = java.util.Set.of("host", "hostaddr", "port", "dbname", "user", "password");
        fallbacks.forEach((name, value) -> {
            if (!taken.contains(name) && targets.add(target.apply(name))) {
                newParameters.put(name, value);
            }
        });
        return new ConnectionUrl(newHosts, newDatabase, newUser, newPassword, newParameters, afterSecret,
                newHostWritten, newPortWritten);
    }

    /** Percent-decoding as libpq does it ('+' stays '+'); a bad escape is reported by part, never quoted. */
    private static String decode(String s, String part) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int len = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw badEncoding(part);
                }
                out = ensure(out, len + 1);
                out[len++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out = ensure(out, len + bytes.length);
                System.arraycopy(bytes, 0, out, len, bytes.length);
                len += bytes.length;
            }
        }
        return new String(out, 0, len, StandardCharsets.UTF_8);
    }

    private static byte[] ensure(byte[] a, int size) {
        return size <= a.length ? a : java.util.Arrays.copyOf(a, Math.max(size, a.length * 2));
    }

    private static IllegalArgumentException badEncoding(String part) {
        return new IllegalArgumentException("bad percent-encoding in " + part
                + " (a '%' must be followed by two hex digits; write a literal '%' as %25)");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Hides every possible secret in any of the three forms: the user info's password up to the last '@'
     * ({@code user:****@host}), and everything after a secret-looking parameter ({@code password=****},
     * {@code sslpassword=****}), since an unquoted or unencoded secret may run on past a separator.
     * Over-masking is the price of never showing a password.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        int scheme = masked.indexOf("://");
        if (scheme >= 0) {
            int start = scheme + 3;
            int at = masked.lastIndexOf('@');
            int colon = masked.indexOf(':', start);
            if (at > start && colon >= 0 && colon < at) {
                masked = masked.substring(0, colon + 1) + "****" + masked.substring(at);
            }
        }
        Matcher m = SECRET_PARAMETER.matcher(masked);
        if (m.find()) {
            masked = masked.substring(0, m.end()) + "****";
        }
        return masked;
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

    /** The other parameters as written (libpq or pgjdbc names), without host, port, database, user, password. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * Names of parameters written after a secret one ({@code password}, {@code sslpassword}...): when the
     * secret held an unencoded '&amp;' or an unquoted space, they are pieces of it, so their names and
     * values are never quoted.
     */
    public java.util.Set<String> parametersAfterSecret() {
        return afterSecret;
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
