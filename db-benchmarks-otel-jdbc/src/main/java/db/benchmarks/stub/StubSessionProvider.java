package db.benchmarks.stub;

import db.api.DbConfig;
import db.api.spi.ConnectionPool;
import db.api.spi.PoolContext;
import db.api.spi.PoolCounters;
import db.api.spi.SessionProvider;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Switchboard session provider named {@code "stub"} that lends {@link StubJdbc} connections: the core,
 * its wrappers and the instrumentation run for real, the driver and the network do not.
 */
public final class StubSessionProvider implements SessionProvider {

    @Override
    public String name() {
        return "stub";
    }

    @Override
    public ConnectionPool start(PoolContext context) {
        return new StubPool(context.config());
    }

    private static final class StubPool implements ConnectionPool {
        private final DbConfig config;
        private final AtomicInteger busy = new AtomicInteger();

        StubPool(DbConfig config) {
            this.config = config;
        }

        @Override
        public String name() {
            return config.poolName();
        }

        @Override
        public Connection borrow(long deadlineNanos) {
            busy.incrementAndGet();
            return new Returning(StubJdbc.connection(), busy);
        }

        @Override
        public Duration checkoutTimeout() {
            return config.checkoutTimeout();
        }

        @Override
        public void discard(Connection lent) {
            try {
                lent.close();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e); // the stub never fails
            }
        }

        @Override
        public void resize(int minSize, int maxSize) {
            // nothing is held
        }

        @Override
        public void evictAll() {
            // nothing is held
        }

        @Override
        public PoolCounters counters() {
            int b = busy.get();
            return new Counters(config.maxSize() - b, b, config.maxSize(), config.minSize(), config.maxSize());
        }

        @Override
        public void close() {
            // nothing is held
        }
    }

    /** One snapshot of the stub pool's counters: {@code max} connections, some lent, all opened at start. */
    private record Counters(int idle, int busy, int max, int min, long created) implements PoolCounters {
    }

    /** Counts the connection as returned when closed, as a pool's proxy does. */
    private static final class Returning extends db.core.support.ForwardingConnection {
        private final AtomicInteger busy;
        private boolean returned;

        Returning(Connection delegate, AtomicInteger busy) {
            super(delegate);
            this.busy = busy;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                busy.decrementAndGet();
            }
        }

        @Override
        public boolean isClosed() {
            return returned;
        }
    }
}
