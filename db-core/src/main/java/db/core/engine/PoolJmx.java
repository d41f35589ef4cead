package db.core.engine;

import db.api.PoolMXBean;
import db.api.PoolStats;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Registers a {@link PoolMXBean} for one core and takes it away again. Attributes hold no secret. */
final class PoolJmx implements PoolMXBean {
    private static final Logger LOG = LogManager.getLogger(PoolJmx.class);

    private final Core core;
    private final ObjectName name;

    private PoolJmx(Core core, ObjectName name) {
        this.core = core;
        this.name = name;
    }

    /** Registers the view; null (and a warning) when the platform MBean server refuses. */
    static PoolJmx register(Core core, String poolName) {
        try {
            ObjectName name = new ObjectName("dev.switchboard:type=Pool,name=" + ObjectName.quote(poolName));
            PoolJmx bean = new PoolJmx(core, name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return bean;
        } catch (JMException | RuntimeException e) {
            LOG.warn("Pool '{}': could not register its JMX view: {}", poolName, e.toString());
            return null;
        }
    }

    void unregister() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException | RuntimeException e) {
            LOG.debug("Unregistering {} failed", name, e);
        }
    }

    private PoolStats stats() {
        return core.stats();
    }

    @Override
    public int getTotalConnections() {
        return stats().total();
    }

    @Override
    public int getIdleConnections() {
        return stats().idle();
    }

    @Override
    public int getActiveConnections() {
        return stats().busy();
    }

    @Override
    public int getThreadsAwaitingConnection() {
        return stats().pending();
    }

    @Override
    public int getMaximumPoolSize() {
        return stats().max();
    }

    @Override
    public int getMinimumPoolSize() {
        return stats().min();
    }

    @Override
    public long getTimeouts() {
        return stats().timeouts();
    }

    @Override
    public long getRejected() {
        return stats().rejected();
    }

    @Override
    public long getConnectAttempts() {
        return stats().connectAttempts();
    }

    @Override
    public long getConnectFailures() {
        return stats().connectFailures();
    }

    @Override
    public long getReconnectBackoffMillis() {
        return stats().backoff().toMillis();
    }

    @Override
    public boolean isPaused() {
        return stats().paused();
    }

    @Override
    public void resize(int minSize, int maxSize) {
        core.resize(minSize, maxSize);
    }

    @Override
    public void softEvictConnections() {
        core.evictAll();
    }

    @Override
    public void suspendPool() {
        core.pause();
    }

    @Override
    public void resumePool() {
        core.resume();
    }
}
