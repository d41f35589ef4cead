package db.core.engine;

import java.sql.Connection;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The JDBC-level state a session changed on its connection, as dirty bits with the value each
 * property had before its first change (HikariCP's {@code ProxyConnection} model). On return only what
 * is dirty is restored; a session that changed nothing costs nothing. The original values are read
 * lazily, at the first change, and only from the driver's own state where pgjdbc answers locally
 * (autocommit, read-only, catalog, holdability, network timeout, client info, type map); the isolation
 * level is the one property pgjdbc asks the server for, so it is read only when the application itself
 * changes it.
 *
 * <p>{@code setSchema} is not restored here: pgjdbc implements it as {@code SET search_path}, so it
 * marks the SQL-level state dirty and the reset puts the whole {@code search_path} back (see
 * {@link SessionStateSql}). Not thread-safe; one per session.
 */
final class ConnectionState {
    static final int AUTOCOMMIT = 1;
    static final int ISOLATION = 1 << 1;
    static final int READ_ONLY = 1 << 2;
    static final int CATALOG = 1 << 3;
    static final int HOLDABILITY = 1 << 4;
    static final int NETWORK_TIMEOUT = 1 << 5;
    static final int CLIENT_INFO = 1 << 6;
    static final int TYPE_MAP = 1 << 7;

    private final Connection physical;
    private int dirty;
    /** What the session believes autocommit is: a pool lends connections in autocommit mode. */
    private boolean autoCommit = true;
    private int isolation;
    private boolean readOnly;
    private String catalog;
    private int holdability;
    private int networkTimeout;
    private Map<String, String> clientInfo;
    private Map<String, Class<?>> typeMap;

    ConnectionState(Connection physical) {
        this.physical = physical;
    }

    /** Whether any JDBC-level property changed. */
    boolean clean() {
        return dirty == 0;
    }

    boolean isDirty(int bit) {
        return (dirty & bit) != 0;
    }

    /** Autocommit as the session last set it (no round trip, no driver call). */
    boolean autoCommit() {
        return autoCommit;
    }

    void setAutoCommit(boolean value) throws SQLException {
        physical.setAutoCommit(value);
        dirty |= AUTOCOMMIT;
        autoCommit = value;
    }

    void setTransactionIsolation(int level) throws SQLException {
        if ((dirty & ISOLATION) == 0) {
            isolation = physical.getTransactionIsolation();
        }
        physical.setTransactionIsolation(level);
        dirty |= ISOLATION;
    }

    void setReadOnly(boolean value) throws SQLException {
        if ((dirty & READ_ONLY) == 0) {
            readOnly = physical.isReadOnly();
        }
        physical.setReadOnly(value);
        dirty |= READ_ONLY;
    }

    void setCatalog(String value) throws SQLException {
        if ((dirty & CATALOG) == 0) {
            catalog = physical.getCatalog();
        }
        physical.setCatalog(value);
        dirty |= CATALOG;
    }

    void setHoldability(int value) throws SQLException {
        if ((dirty & HOLDABILITY) == 0) {
            holdability = physical.getHoldability();
        }
        physical.setHoldability(value);
        dirty |= HOLDABILITY;
    }

    void setNetworkTimeout(Executor executor, int millis) throws SQLException {
        if ((dirty & NETWORK_TIMEOUT) == 0) {
            networkTimeout = physical.getNetworkTimeout();
        }
        physical.setNetworkTimeout(executor, millis);
        dirty |= NETWORK_TIMEOUT;
    }

    void setClientInfo(String name, String value) throws SQLClientInfoException {
        rememberClientInfo(name);
        physical.setClientInfo(name, value);
        dirty |= CLIENT_INFO;
    }

    void setClientInfo(java.util.Properties properties) throws SQLClientInfoException {
        for (String name : properties.stringPropertyNames()) {
            rememberClientInfo(name);
        }
        physical.setClientInfo(properties);
        dirty |= CLIENT_INFO;
    }

    private void rememberClientInfo(String name) throws SQLClientInfoException {
        if (clientInfo == null) {
            clientInfo = new HashMap<>();
        }
        if (!clientInfo.containsKey(name)) {
            try {
                clientInfo.put(name, physical.getClientInfo(name));
            } catch (SQLException e) {
                throw new SQLClientInfoException("Cannot read client info '" + name + "' before changing it",
                        e.getSQLState(), Map.of(), e);
            }
        }
    }

    void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        if ((dirty & TYPE_MAP) == 0) {
            typeMap = physical.getTypeMap();
        }
        physical.setTypeMap(map);
        dirty |= TYPE_MAP;
    }

    /**
     * Puts back every dirty property and clears the bits. Autocommit last but one (a transaction
     * left open is rolled back by the caller before this), so the other setters run where the driver
     * expects them.
     */
    void restore() throws SQLException {
        if (dirty == 0) {
            return;
        }
        if ((dirty & AUTOCOMMIT) != 0 && !autoCommit) {
            physical.setAutoCommit(true);
            autoCommit = true;
        }
        if ((dirty & ISOLATION) != 0) {
            physical.setTransactionIsolation(isolation);
        }
        if ((dirty & READ_ONLY) != 0) {
            physical.setReadOnly(readOnly);
        }
        if ((dirty & CATALOG) != 0 && catalog != null) {
            physical.setCatalog(catalog);
        }
        if ((dirty & HOLDABILITY) != 0) {
            physical.setHoldability(holdability);
        }
        if ((dirty & NETWORK_TIMEOUT) != 0) {
            physical.setNetworkTimeout(Runnable::run, networkTimeout);
        }
        if ((dirty & CLIENT_INFO) != 0) {
            for (Map.Entry<String, String> original : clientInfo.entrySet()) {
                physical.setClientInfo(original.getKey(), original.getValue() == null ? "" : original.getValue());
            }
        }
        if ((dirty & TYPE_MAP) != 0) {
            physical.setTypeMap(typeMap == null ? new HashMap<>() : typeMap);
        }
        dirty = 0;
    }
}
