/**
 * Switchboard's engine: what {@code db.api} finds as its {@link db.api.spi.DatabaseEngine} and runs every
 * database with (the fair checkout gate, sessions, transactions, the session reset, read routing, health,
 * pool controls, JMX, the JDBC wrappers, the physical connector and the SQLSTATE fallback mapper).
 *
 * <p>Applications do not name it: every pool module requires it, so {@code requires db.api;} and a pool
 * module on the module path are enough. Provider authors use {@link db.core.support} (and, in their tests,
 * {@link db.core.standalone}).
 */
module db.core {
    requires transitive db.api;
    requires org.apache.logging.log4j;
    // TCP keepalive timers for the socket factory handed to pgjdbc (KeepAliveSocketFactory)
    requires jdk.net;
    requires java.management;

    exports db.core.support;
    // a PoolContext outside a Database, for a provider's own tests and for tools
    exports db.core.standalone;
    // pgjdbc instantiates the TLS socket factory and host name check by class name (sslfactory,
    // sslhostnameverifier): open at run time, not API.
    opens db.core.tls;

    provides db.api.spi.DatabaseEngine with db.core.engine.CoreEngine;
    // the TLS rules and the pgjdbc version applied when a DbConfig is built (no keys of its own)
    provides db.api.spi.ConfigKeySource with db.core.engine.EngineParameterCheck;

    uses java.sql.Driver;
}
