package db.core.engine;

import db.api.DatabaseTarget;
import db.api.DbConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Which host of a pool's URL each physical connection is on. With one host that is the configured target
 * and nothing is looked up. With several (a multi-host URL, where the driver picks the host by
 * {@code targetServerType}) pgjdbc knows the host it connected to: {@code BaseConnection.getQueryExecutor()
 * .getHostSpec()}, read reflectively (this module does not require the driver) and without a round trip.
 * With another driver, or when that fails, the URL's first host stands in. Thread-safe.
 */
final class ConnectionServers {
    private static final Logger LOG = LogManager.getLogger(ConnectionServers.class);
    private static final String BASE_CONNECTION = "org.postgresql.core.BaseConnection";

    private final String poolName;
    /** One per host of the URL, in order; the instances handed out, so instrumenters may compare by identity. */
    private final List<DatabaseTarget> listed;
    /** The driver's accessors, resolved from the first connection the driver made; null until then or if none. */
    private volatile Accessors accessors;
    private volatile boolean unavailable;
    /** The host of the newest connection, once one was made. */
    private final AtomicReference<DatabaseTarget> newest = new AtomicReference<>();

    ConnectionServers(DbConfig config) {
        this.poolName = config.poolName();
        this.listed = config.targets();
    }

    /** The URL's first host: the pool's configured target. */
    DatabaseTarget first() {
        return listed.get(0);
    }

    /** {@code host:port} of every host of the URL, comma-separated. */
    String hosts() {
        return listed.stream().map(t -> t.host() + ":" + t.port()).collect(Collectors.joining(","));
    }

    /** Whether the URL lists several hosts (only then can a connection be on another than the first). */
    boolean multiHost() {
        return listed.size() > 1;
    }

    /**
     * Told of each connection the driver made (the driver's own object, before a pool wraps it): remembers
     * its host as the newest and logs when that moved to another host (a failover).
     */
    void created(Connection driverConnection) {
        if (!multiHost() || unavailable) {
            return;
        }
        Accessors a = accessors;
        if (a == null) {
            a = resolve(driverConnection);
            if (a == null) {
                return;
            }
        }
        DatabaseTarget server = read(a, driverConnection);
        if (server == null) {
            return;
        }
        DatabaseTarget before = newest.getAndSet(server);
        if (before != null && !before.equals(server)) {
            LOG.info("Pool '{}' connects to {} now (was {}): the driver found the server targetServerType asks "
                    + "for there (a failover?)", poolName, server, before);
        }
    }

    /** The host of the newest connection, or null before the first one, with one host, or when not known. */
    DatabaseTarget newest() {
        return newest.get();
    }

    /**
     * The host a lent connection (a pool's wrapper around the driver's) is on; the first host when the URL
     * lists one host or the driver does not say.
     */
    DatabaseTarget of(Connection lent) {
        Accessors a = accessors;
        if (a == null || !multiHost()) {
            return first();
        }
        try {
            // unwrap to the driver's interface: the JDBC way through every pool's wrapper.
            Object driverConnection = a.baseConnection.isInstance(lent) ? lent : lent.unwrap(a.baseConnection);
            DatabaseTarget server = read(a, driverConnection);
            return server != null ? server : first();
        } catch (SQLException | RuntimeException e) {
            return first();
        }
    }

    private Accessors resolve(Connection driverConnection) {
        try {
            Class<?> base = Class.forName(BASE_CONNECTION, false, driverConnection.getClass().getClassLoader());
            if (!base.isInstance(driverConnection)) {
                throw new ClassNotFoundException(driverConnection.getClass().getName() + " is not a " + BASE_CONNECTION);
            }
            Method queryExecutor = base.getMethod("getQueryExecutor");
            Method hostSpec = queryExecutor.getReturnType().getMethod("getHostSpec");
            Accessors a = new Accessors(base, queryExecutor, hostSpec, hostSpec.getReturnType().getMethod("getHost"),
                    hostSpec.getReturnType().getMethod("getPort"));
            accessors = a;
            return a;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.warn("Pool '{}' cannot tell which of its hosts a connection is on (the driver is not pgjdbc, or its "
                    + "internals changed: {}); spans and pools() show the URL's first host", poolName, e.toString());
            return null;
        }
    }

    /** The listed target for the connection's host and port; null when the driver does not answer. */
    private DatabaseTarget read(Accessors a, Object driverConnection) {
        try {
            Object spec = a.hostSpec.invoke(a.queryExecutor.invoke(driverConnection));
            String host = (String) a.host.invoke(spec);
            int port = (Integer) a.port.invoke(spec);
            for (DatabaseTarget t : listed) {
                if (t.port() == port && t.host().equals(host)) {
                    return t;
                }
            }
            DatabaseTarget first = first();
            return new DatabaseTarget(host, port, first.database(), first.user());
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            return null;
        }
    }

    /** pgjdbc's methods that lead from a connection to its host. */
    private record Accessors(Class<?> baseConnection, Method queryExecutor, Method hostSpec, Method host,
                             Method port) {
    }
}
