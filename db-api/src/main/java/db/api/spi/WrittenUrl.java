package db.api.spi;

import db.api.internal.ConnectionUrl;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A {@code db.url}-style text as written, parsed the way {@link db.api.DbConfig} parses it (a JDBC URL, a
 * libpq URI or a libpq key/value DSN, any of them with several hosts), before libpq's lower sources and the
 * translation to pgjdbc's names: for an engine that derives other connection targets from such a text (the
 * standbys of {@code db.replica.url}). It never holds the password.
 *
 * @param hosts      the hosts in the order written
 * @param database   the database name, or {@code null} when the text names none
 * @param user       the user the text names, or {@code null}
 * @param parameters the other parameters as written (libpq or pgjdbc names), without host, port, database,
 *                   user and password, in the order written; unmodifiable
 */
public record WrittenUrl(List<Host> hosts, String database, String user, Map<String, String> parameters) {

    /**
     * Copies the parts.
     *
     * @param hosts      the hosts in the order written
     * @param database   the database name, or {@code null}
     * @param user       the user, or {@code null}
     * @param parameters the other parameters as written
     */
    public WrittenUrl {
        hosts = List.copyOf(hosts);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** {@return the parts, with the value of every secret-looking parameter ({@code sslpassword}) hidden} */
    @Override
    public String toString() {
        return "WrittenUrl[hosts=" + hosts + ", database=" + database + ", user=" + user + ", parameters="
                + parameters.entrySet().stream().map(e -> e.getKey() + "="
                        + (ConfigKey.isSecretName(e.getKey()) ? "****" : e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}")) + "]";
    }

    /**
     * One host of the text.
     *
     * @param host the host name or address
     * @param port the port (PostgreSQL's 5432 when none is written)
     */
    public record Host(String host, int port) {
        /**
         * Validates the host.
         *
         * @param host the host name or address
         * @param port the port
         */
        public Host {
            Objects.requireNonNull(host, "host");
        }

        /** {@return {@code host:port}, an IPv6 address in brackets} */
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Parses {@code text}.
     *
     * @param text the URL or DSN
     * @return its parts
     * @throws IllegalArgumentException saying what is wrong, never quoting the password or text around it
     */
    public static WrittenUrl parse(String text) {
        ConnectionUrl url = ConnectionUrl.parse(text);
        return new WrittenUrl(url.hosts().stream().map(h -> new Host(h.host(), h.port())).toList(), url.database(),
                url.user(), url.parameters());
    }
}
