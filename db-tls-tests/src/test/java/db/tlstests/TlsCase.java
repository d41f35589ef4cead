package db.tlstests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of the suite: what the user writes (libpq parameters, {@code PG*} variables, files in the home
 * directory), which cluster it reaches, and what must happen. Values may hold placeholders that
 * {@link TlsMatrixTest} fills in once the files exist: {@code {ca}}, {@code {wrongCa}}, {@code {missing}},
 * {@code {clientCert}}, {@code {key:FORMAT}}, {@code {emptyCrl}}, {@code {revokedCrl}}, {@code {serviceFile}}, {@code {notAKey}}, {@code {opensshKey}}, {@code {port}},
 * {@code {scramPassword}}, {@code {keyPassword}}, {@code {wrongKeyPassword}}.
 *
 * @param id          short and stable, e.g. {@code T1a}; the summary table is by id
 * @param description what the case is, in the words of issue 21's table
 * @param server      which cluster it connects to
 * @param host        the host written in the URL ({@code localhost} or {@code 127.0.0.1})
 * @param user        the role; for a connecting case also the expected {@code current_user}
 * @param password    the password written in the URL (null: none, it comes from elsewhere or is not needed)
 * @param parameters  libpq connection parameters written in the URL, in order
 * @param environment {@code PG*} variables
 * @param home        what {@code ~} holds
 * @param url         how much of the target the URL names
 * @param outcome     what must happen
 * @param mentions    text the failure's message must contain (what to fix), in any case
 * @param logMentions text the captured log must contain (a warning libpq would print too)
 */
record TlsCase(String id, String description, Server server, String host, String user, String password,
               Map<String, String> parameters, Map<String, String> environment, Home home, Url url,
               Outcome outcome, List<String> mentions, List<String> logMentions) {

    /** The two clusters of the suite. */
    enum Server {
        /** Presents the certificate for localhost and 127.0.0.1. */
        RIGHT,
        /** Presents the certificate for {@code TlsFiles.WRONG_NAME} only (same CA). */
        WRONG_NAME
    }

    /** What the home directory ({@code HOME} and {@code user.home}) holds. */
    enum Home {
        /** Nothing: no {@code ~/.postgresql}, no {@code ~/.pgpass}. */
        EMPTY,
        /** {@code ~/.postgresql/root.crt} is the test CA. */
        ROOT_CRT,
        /** {@code ~/.postgresql/root.crt} is the test CA and {@code root.crl} revokes the server's certificate. */
        ROOT_CRT_REVOKED,
        /** {@code ~/.postgresql/root.crt} is the wrong CA. */
        ROOT_CRT_WRONG_CA,
        /** {@code ~/.postgresql/} holds {@code postgresql.crt}, {@code postgresql.key} (PEM PKCS#8) and {@code root.crt}. */
        CLIENT_FILES_PKCS8,
        /** As {@link #CLIENT_FILES_PKCS8} with a PEM PKCS#1 {@code postgresql.key}. */
        CLIENT_FILES_PKCS1,
        /** {@code ~/.pgpass} (mode 0600) has the scram role's password for the right cluster. */
        PGPASS,
        /** The same {@code ~/.pgpass}, group and world readable (mode 0644): libpq ignores it. */
        PGPASS_READABLE
    }

    /** How much of the target the URL itself names. */
    enum Url {
        /** Host, port, database, user (and the password when the case has one). */
        FULL,
        /** Only the database: host, port, user and password come from the {@code PG*} variables. */
        DATABASE_ONLY,
        /** No {@code db.url} at all: everything comes from the {@code PG*} variables (one form only). */
        NONE
    }

    /** What must happen. */
    enum Outcome {
        /** Connects, on TLS, as {@link TlsCase#user()}. */
        TLS,
        /** A {@code ConnectionRejectedException} (or a leaf of it), not retryable, at open and at each checkout. */
        REJECTED,
        /** A {@code ConfigException} when the configuration is built or the database opened, not retryable. */
        CONFIG,
        /** Either of the two above (libpq: a permanent error; where it is caught is Switchboard's choice). */
        PERMANENT,
        /** The server refuses (pg_hba, no password): {@code AuthenticationException} or {@code ConnectionRejectedException}, not retryable. */
        REFUSED
    }

    @Override
    public String toString() {
        return id + " " + description;
    }

    static Builder of(String id, String description) {
        return new Builder(id, description);
    }

    /** Builds a case; defaults: the right cluster, host localhost, the scram role with its password, empty home. */
    static final class Builder {
        private final String id;
        private final String description;
        private Server server = Server.RIGHT;
        private String host = "localhost";
        private String user = "scramuser";
        private String password = "{scramPassword}";
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Home home = Home.EMPTY;
        private Url url = Url.FULL;
        private final List<String> mentions = new ArrayList<>();
        private final List<String> logMentions = new ArrayList<>();

        private Builder(String id, String description) {
            this.id = id;
            this.description = description;
        }

        Builder server(Server value) {
            server = value;
            return this;
        }

        Builder host(String value) {
            host = value;
            return this;
        }

        /** The certificate role, without a password. */
        Builder certUser() {
            user = "certuser";
            password = null;
            return this;
        }

        /** No password in the URL. */
        Builder noPassword() {
            password = null;
            return this;
        }

        Builder param(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        Builder home(Home value) {
            home = value;
            return this;
        }

        Builder url(Url value) {
            url = value;
            return this;
        }

        Builder mentions(String... texts) {
            mentions.addAll(List.of(texts));
            return this;
        }

        Builder logMentions(String... texts) {
            logMentions.addAll(List.of(texts));
            return this;
        }

        TlsCase expect(Outcome outcome) {
            return new TlsCase(id, description, server, host, user, password,
                    Collections.unmodifiableMap(new LinkedHashMap<>(parameters)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(environment)), home, url, outcome,
                    List.copyOf(mentions), List.copyOf(logMentions));
        }
    }
}
