package db.faults;

import db.api.Database;
import db.api.DbConfig;
import db.testkit.PgCluster;
import db.testkit.TcpProxy;

/** The set-up the tests against a throwaway cluster behind the fault proxy share. */
final class FaultSetup {
    private FaultSetup() {
    }

    /**
     * A c3p0 config that reaches {@code cluster} through {@code proxy}, so the test can cut, refuse or
     * stall every connection; {@code name} is the pool and the application name. Sizes and timeouts are
     * the test's own.
     */
    static DbConfig.Builder throughProxy(PgCluster cluster, TcpProxy proxy, String name) {
        return DbConfig.builder()
                .sessionProvider("c3p0")
                .url(proxy.rewrite(cluster.jdbcUrl()))
                .user(PgCluster.USER)
                .poolName(name)
                .applicationName(name);
    }

    /**
     * Closes the database before the proxy before the cluster it reaches; any of them is null when the
     * set-up failed before making it.
     */
    static void closeAll(Database db, TcpProxy proxy, PgCluster cluster) {
        if (db != null) {
            db.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
