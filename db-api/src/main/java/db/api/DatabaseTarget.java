package db.api;

import java.util.Objects;

/**
 * Where a pool or one of its connections connects: host, port, database and user, never the password.
 * Its {@link #toString()} ({@code user@host:port/database}) is what log lines and connection errors show.
 *
 * @param host     the server host: for a pool whose URL lists several, the first one; for a connection,
 *                 the one it is connected to
 * @param port     the server port
 * @param database the database name
 * @param user     the role name, or {@code null} when the driver's default applies
 */
public record DatabaseTarget(String host, int port, String database, String user) {

    /** PostgreSQL's default port. */
    public static final int DEFAULT_PORT = 5432;

    /**
     * Validates the parts.
     *
     * @param host the server host: for a pool whose URL lists several, the first one; for a connection, the
     *     one it is connected to
     * @param port the server port
     * @param database the database name
     * @param user the role name, or {@code null} when the driver's default applies
     */
    public DatabaseTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
    }

    @Override
    public String toString() {
        return (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }
}
