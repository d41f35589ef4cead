package db.benchmarks;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import db.api.DbConfig;
import java.beans.PropertyVetoException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * How each pool is configured. All hold {@link BenchTarget#POOL_SIZE} connections, opened up front
 * (min = initial = max), with a 30 s checkout timeout, so that no variant grows, shrinks or waits for a
 * connect while being measured.
 */
final class Pools {
    static final Duration CHECKOUT_TIMEOUT = Duration.ofSeconds(30);

    private Pools() {
    }

    /** Switchboard with its c3p0 provider; everything else left at Switchboard's defaults. */
    static DbConfig.Builder switchboard(String poolName) {
        return switchboard(poolName, "c3p0");
    }

    /** Switchboard with the named session provider; everything else left at Switchboard's defaults. */
    static DbConfig.Builder switchboard(String poolName, String sessionProvider) {
        DbConfig.Builder b = DbConfig.builder()
                .sessionProvider(sessionProvider)
                .url(BenchTarget.URL)
                .user(BenchTarget.USER)
                .minSize(BenchTarget.POOL_SIZE)
                .maxSize(BenchTarget.POOL_SIZE)
                .checkoutTimeout(CHECKOUT_TIMEOUT)
                .poolName(poolName);
        if (!BenchTarget.PASSWORD.isEmpty()) {
            b.password(BenchTarget.PASSWORD);
        }
        return b;
    }

    /**
     * Raw c3p0 set up like Switchboard's provider sets it up (db-pool-c3p0's {@code C3p0SessionProvider}):
     * synchronous check-ins, no c3p0 test on checkout (the provider runs {@code isValid} itself, only on
     * connections idle past 500 ms, which never happens under benchmark load), idle test every 30 s, no
     * statement cache, no auto-commit on close, the fixed-thread-pool task runner with 3 helper threads.
     */
    static ComboPooledDataSource c3p0LikeSwitchboard() throws PropertyVetoException {
        ComboPooledDataSource ds = c3p0Base("bench-c3p0-comparable");
        ds.setAcquireIncrement(1);
        ds.setCheckoutTimeout((int) CHECKOUT_TIMEOUT.toMillis());
        ds.setTestConnectionOnCheckout(false); // the provider validates itself, only past an idle window
        ds.setTestConnectionOnCheckin(false);
        ds.setIdleConnectionTestPeriod(30);
        // The provider gives isValid a timeout (min(5 s, connect timeout)); pgjdbc then sets and restores
        // the socket timeout around the check, which is part of the cost being compared.
        ds.setConnectionIsValidTimeout(5);
        ds.setMaxIdleTime(0);
        ds.setMaxIdleTimeExcessConnections(600);
        ds.setMaxConnectionAge(1800);
        ds.setAcquireRetryAttempts(3);
        ds.setAcquireRetryDelay(250);
        ds.setBreakAfterAcquireFailure(false);
        ds.setUnreturnedConnectionTimeout(0);
        ds.setForceSynchronousCheckins(true);
        ds.setAutoCommitOnClose(false);
        ds.setMaxStatements(0);
        ds.setMaxStatementsPerConnection(0);
        ds.setNumHelperThreads(3);
        ds.setTaskRunnerFactoryClassName("com.mchange.v2.c3p0.FixedThreadPoolExecutorTaskRunnerFactory");
        return ds;
    }

    /**
     * Like {@link #c3p0LikeSwitchboard()} but with c3p0's own test on every checkout: what validating
     * every checkout (one extra round trip each) would cost.
     */
    static ComboPooledDataSource c3p0TestOnCheckout() throws PropertyVetoException {
        ComboPooledDataSource ds = c3p0LikeSwitchboard();
        ds.setDataSourceName("bench-c3p0-test-on-checkout");
        ds.setTestConnectionOnCheckout(true);
        return ds;
    }

    /** Raw c3p0 with its own defaults (asynchronous check-ins, no checkout test), only the size set. */
    static ComboPooledDataSource c3p0Defaults() throws PropertyVetoException {
        return c3p0Base("bench-c3p0-defaults");
    }

    private static ComboPooledDataSource c3p0Base(String name) throws PropertyVetoException {
        // The no-arg constructor: c3p0's named constructor looks for a named-config and warns when there is none.
        ComboPooledDataSource ds = new ComboPooledDataSource();
        ds.setDataSourceName(name);
        ds.setDriverClass("org.postgresql.Driver");
        ds.setJdbcUrl(BenchTarget.URL);
        ds.setUser(BenchTarget.USER);
        ds.setPassword(BenchTarget.PASSWORD);
        ds.setMinPoolSize(BenchTarget.POOL_SIZE);
        ds.setInitialPoolSize(BenchTarget.POOL_SIZE);
        ds.setMaxPoolSize(BenchTarget.POOL_SIZE);
        return ds;
    }

    /**
     * HikariCP at its defaults (it validates a connection on borrow only when it sat idle for more than
     * 500 ms, so under load it runs no check), sized like the others.
     */
    static HikariDataSource hikari() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-hikari");
        config.setJdbcUrl(BenchTarget.URL);
        config.setUsername(BenchTarget.USER);
        config.setPassword(BenchTarget.PASSWORD);
        config.setMaximumPoolSize(BenchTarget.POOL_SIZE);
        config.setMinimumIdle(BenchTarget.POOL_SIZE);
        config.setConnectionTimeout(CHECKOUT_TIMEOUT.toMillis());
        return new HikariDataSource(config);
    }

    /** Borrows every connection once so that lazily started pools are full before the first measurement. */
    static void fill(javax.sql.DataSource ds) throws SQLException {
        Connection[] held = new Connection[BenchTarget.POOL_SIZE];
        try {
            for (int i = 0; i < held.length; i++) {
                held[i] = ds.getConnection();
            }
        } finally {
            for (Connection c : held) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
