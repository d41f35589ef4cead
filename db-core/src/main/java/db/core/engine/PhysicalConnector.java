package db.core.engine;

import db.core.tls.TlsRejection;
import db.api.DbConfig;
import db.api.DbKeys;
import db.core.support.ConfiguredDataSource;
import db.api.spi.ConnectionInitializer;
import db.api.spi.PasswordSupplier;
import db.api.spi.PoolContext;
import db.api.spi.PoolEvents;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The one source of physical connections for every provider ({@link PoolContext#connections()}):
 * driver properties from the configuration, the password asked anew per connection, the baseline set
 * up ({@code db.pool.init-sql}, then the {@link ConnectionInitializer}s), creation reported, the host
 * each connection is on noted ({@link ConnectionServers}), attempts counted, and a back-off while the
 * database is unreachable so that N waiting callers cause one connect attempt per back-off step, not N.
 * Thread-safe; nothing here is held while connecting.
 */
public final class PhysicalConnector extends ConfiguredDataSource {
    /** The configuration key of the SQL run on every new physical connection. */
    public static final String INIT_SQL = "db.pool.init-sql";
    /** First back-off step after a failed connect (HikariCP starts at 250 ms, psycopg_pool at 1 s). */
    static final long BACKOFF_INITIAL_NANOS = Duration.ofMillis(250).toNanos();
    /** The back-off never grows past this, so a database that is back is found within about this long. */
    static final long BACKOFF_CAP_NANOS = Duration.ofSeconds(2).toNanos();
    /** Each step is the nominal one ± this fraction, so that many pools do not reconnect in lock step. */
    static final double JITTER = 0.2;

    private final DbConfig config;
    private final PoolEvents events;
    private final ModuleLayer layer;
    private final String initSql;
    private final List<ConnectionInitializer> initializers;
    private final long backoffCapNanos;
    private final PasswordSupplier passwordSupplier;
    private final ConnectionServers servers;
    /** Whether the last failure was the baseline set-up (init SQL, an initializer), not the connect. */
    private volatile boolean lastFailureWasSetUp;
    /** What failed in the last set-up: the init SQL with its statement, or an initializer's class. */
    private volatile String lastSetUpStep = "the connection set-up";
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** While failing: the nanoTime before which no attempt is made; claimed by CAS so one caller probes. */
    private final AtomicLong nextAttemptNanos = new AtomicLong();
    private volatile int consecutiveFailures;
    private volatile long currentBackoffNanos;
    private volatile Throwable lastFailure;
    private volatile boolean paused;
    private volatile Driver driver;
    /** Whether the connection opens with a TLS handshake (sslnegotiation=direct): see {@link TlsRejection}. */
    private final boolean directTls;

    PhysicalConnector(DbConfig config, PoolEvents events, ModuleLayer layer, List<ConnectionInitializer> initializers) {
        this.config = config;
        this.events = events;
        this.layer = layer;
        this.initSql = config.get(DbKeys.POOL_INIT_SQL).filter(s -> !s.isBlank()).orElse(null);
        List<ConnectionInitializer> all = new ArrayList<>(initializers);
        config.extension(ConnectionInitializer.class).ifPresent(all::add);
        this.initializers = List.copyOf(all);
        this.passwordSupplier = config.extension(PasswordSupplier.class).orElse(null);
        this.servers = new ConnectionServers(config);
        this.directTls = "direct".equals(DriverProperties.of(config).get("sslNegotiation"));
        // Never wait longer between attempts than a quarter of the checkout timeout: a waiter must see
        // several attempts before it gives up.
        this.backoffCapNanos = Math.max(Duration.ofMillis(10).toNanos(),
                Math.min(BACKOFF_CAP_NANOS, config.checkoutTimeout().toNanos() / 4));
    }

    /** A context outside a Database, for {@link db.core.standalone.StandaloneContext}. */
    public static PoolContext standaloneContext(DbConfig config, PoolEvents events) {
        PhysicalConnector connector = new PhysicalConnector(config, events, null, List.of());
        return connector.context();
    }

    PoolContext context() {
        PhysicalConnector self = this;
        return new PoolContext() {
            @Override
            public DbConfig config() {
                return config;
            }

            @Override
            public DataSource connections() {
                return self;
            }
        };
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (paused) {
            throw new SQLException("Pool '" + config.poolName() + "' is paused: no new connection is opened until "
                    + "resume()", "08004");
        }
        if (consecutiveFailures > 0) {
            long next = nextAttemptNanos.get();
            long now = System.nanoTime();
            // One caller per back-off step probes the database; the others fail at once with the reason.
            if (now - next < 0 || !nextAttemptNanos.compareAndSet(next, now + currentBackoffNanos)) {
                throw backingOff(Math.max(0, next - now));
            }
        }
        attempts.incrementAndGet();
        long start = System.nanoTime();
        Connection connection;
        try {
            connection = driver().connect(config.jdbcUrl(), driverProperties());
            if (connection == null) {
                throw new SQLException("The driver does not accept " + config.target(), "08001");
            }
        } catch (SQLException | RuntimeException e) {
            TlsRejection tls = TlsRejection.of(e, config.target().toString(), directTls);
            if (tls != null) {
                // permanent: the pool and the checkout must fail now, not wait for the "outage" to end
                failed(tls, false);
                throw tls;
            }
            if (!interrupted(e)) {
                failed(e, false);
            } else {
                // The pool cancelled this attempt (closing or retiring its helper threads): it says nothing
                // about the database, so it neither counts as a failure nor moves the back-off.
                releaseProbe();
                throw cancelled(e);
            }
            throw e;
        }
        try {
            setUp(connection);
        } catch (SQLException | RuntimeException e) {
            abortQuietly(connection);
            failed(e, true);
            throw e;
        }
        succeeded();
        servers.created(connection);
        try {
            events.connectionCreated(Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            // An instrumenter's failure must not cost the pool a working connection.
        }
        return connection;
    }

    /**
     * Sets the connection's baseline: the init SQL, then the initializers. Also what the session reset
     * re-applies after {@code DISCARD ALL}. A failure names the statement (configuration, not data).
     */
    public void setUp(Connection connection) throws SQLException {
        if (initSql != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(initSql);
            } catch (SQLException e) {
                lastSetUpStep = INIT_SQL + " (" + initSql + ")";
                throw new SQLException(INIT_SQL + " failed (" + initSql + "): " + e.getMessage(), e.getSQLState(), e);
            }
        }
        for (ConnectionInitializer initializer : initializers) {
            try {
                initializer.initialize(connection);
            } catch (SQLException | RuntimeException e) {
                lastSetUpStep = "the ConnectionInitializer " + initializer.getClass().getName();
                throw e;
            }
        }
        if (!connection.getAutoCommit()) {
            throw new SQLException("A ConnectionInitializer left the connection outside autocommit mode", "55000");
        }
    }

    /** Whether any baseline is set up on new connections (then the reset re-applies it). */
    public boolean hasBaseline() {
        return initSql != null || !initializers.isEmpty();
    }

    private void failed(Throwable e, boolean setUp) {
        failures.incrementAndGet();
        lastFailure = e;
        lastFailureWasSetUp = setUp;
        int n = consecutiveFailures + 1;
        consecutiveFailures = n;
        long nominal = BACKOFF_INITIAL_NANOS << Math.min(n - 1, 20);
        nominal = Math.min(backoffCapNanos, nominal);
        double factor = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        long step = (long) (nominal * factor);
        currentBackoffNanos = step;
        nextAttemptNanos.set(System.nanoTime() + step);
    }

    /** Whether a connect failed because the connecting thread was interrupted. */
    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        int depth = 0;
        for (Throwable c = e; c != null && depth < 10; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (c instanceof InterruptedException || c instanceof java.io.InterruptedIOException
                    || (c.getMessage() != null && c.getMessage().startsWith("Interrupted while attempting to connect"))) {
                return true;
            }
        }
        return false;
    }

    /** A probe that ended without an answer lets the next caller probe at once. */
    private void releaseProbe() {
        if (consecutiveFailures > 0) {
            nextAttemptNanos.set(System.nanoTime());
        }
    }

    private void succeeded() {
        if (consecutiveFailures != 0) {
            consecutiveFailures = 0;
            currentBackoffNanos = 0;
        }
    }

    /**
     * An interrupted connect as a connection-class failure (08001) without the driver's exception as its
     * cause: pgjdbc reports the interrupt as 99999 ("something unusual"), which a pool passing it to a
     * waiting caller would turn into an unexpected error; as 08001 the core waits for the next attempt
     * within the caller's deadline instead. The driver's exception is kept as suppressed.
     */
    private SQLException cancelled(Throwable interrupted) {
        SQLException e = new SQLException("Connecting to " + config.target() + " was interrupted (the pool stopped "
                + "this attempt: closing, resetting or retiring its helper threads)", "08001");
        e.addSuppressed(interrupted);
        return e;
    }

    private SQLException backingOff(long waitNanos) {
        Throwable last = lastFailure;
        // No cause: a pool that looks for the driver's exception in the chain must see a connection
        // failure (08001), not the last failure's own SQLSTATE; the reason is in the message.
        return new SQLException("Not connecting to " + config.target() + " for another "
                + Duration.ofNanos(waitNanos).toMillis() + " ms (backing off after " + consecutiveFailures
                + " failed attempts); last connect failure: " + reason(last), "08001");
    }

    /** The driver's message of a failure; pgjdbc never puts the password in it. */
    static String reason(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static void abortQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            // it is discarded either way
        }
    }

    // ---- what the core reads and steers ----

    /** Which host of the URL each connection is on. */
    ConnectionServers servers() {
        return servers;
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    boolean paused() {
        return paused;
    }

    long attempts() {
        return attempts.get();
    }

    long failures() {
        return failures.get();
    }

    /** The current back-off step; zero while connecting works. */
    Duration backoff() {
        return consecutiveFailures == 0 ? Duration.ZERO : Duration.ofNanos(currentBackoffNanos);
    }

    /** Whether the last connect attempt failed. */
    boolean failing() {
        return consecutiveFailures > 0;
    }

    /** The last connect failure while failing, else null. */
    Throwable lastFailure() {
        return consecutiveFailures > 0 ? lastFailure : null;
    }

    /**
     * The set-up failure (init SQL or an initializer) of the last attempt, while failing that way: a
     * connection was made and its baseline could not be set; the message names the statement.
     */
    SQLException setUpFailure() {
        Throwable last = lastFailure;
        return consecutiveFailures > 0 && lastFailureWasSetUp && last instanceof SQLException sqlException ? sqlException : null;
    }

    /** Which set-up step failed last (configuration text, never a secret). */
    String setUpStep() {
        return lastSetUpStep;
    }

    /** When (nanoTime) the next connect attempt is allowed; meaningful while {@link #failing()}. */
    long nextAttemptNanos() {
        return nextAttemptNanos.get();
    }

    // ---- the driver ----

    /** The driver's properties: {@link DriverProperties#properties}, the one translation of the config. */
    Properties driverProperties() {
        Properties p = DriverProperties.properties(config);
        if (passwordSupplier != null) {
            String pw = passwordSupplier.password();
            if (pw != null) {
                p.setProperty("password", pw);
            } else {
                p.remove("password");
            }
        }
        return p;
    }

    private static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    /**
     * The JDBC driver for the URL: found with ServiceLoader in the pool's module layer (DriverManager
     * does not see drivers of a child layer), else through DriverManager.
     */
    private Driver driver() throws SQLException {
        Driver d = driver;
        if (d != null) {
            return d;
        }
        String url = config.jdbcUrl();
        ServiceLoader<Driver> loader = layer != null ? ServiceLoader.load(layer, Driver.class)
                : ServiceLoader.load(Driver.class);
        for (Driver candidate : loader) {
            if (candidate.acceptsURL(url)) {
                d = candidate;
                break;
            }
        }
        if (d == null) {
            d = DriverManager.getDriver(url);
        }
        // DbConfig checked the pgjdbc it could see; this is the one actually used (it may sit in a layer).
        List<String> problems = DriverCompatibility.problems(DriverProperties.of(config),
                DriverCompatibility.of(d.getClass()));
        if (!problems.isEmpty()) {
            throw new SQLException(String.join("; ", problems), "08004");
        }
        driver = d;
        return d;
    }

    // ---- DataSource ----

    @Override
    public int getLoginTimeout() {
        return (int) Math.max(1, ceilSeconds(config.connectTimeout()));
    }

    @Override
    public String toString() {
        return "Switchboard connections to " + config.target();
    }
}
