package db.core.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Cancels what physical connections are running on the server, with the driver's own cancel request (a
 * separate connection that asks the server to stop the backend's current statement). A pool calls it in
 * {@code close()} on the connections still lent out when the close timeout ends, before it aborts them:
 * aborting only closes the socket, and the server would keep running the statement (and holding its
 * locks) until it next writes to the client.
 *
 * <p>Uses pgjdbc's {@code cancelQuery()} on the driver's connection (reached through
 * {@link ForwardingConnection}s and {@code unwrap(Connection.class)}), looked up by name so that this
 * module needs no driver at compile time; for another driver nothing is sent. A cancel of a connection that
 * runs nothing is ignored by
 * the server.
 */
public final class StatementCancel {
    private static final Logger LOG = LogManager.getLogger(StatementCancel.class);

    private StatementCancel() {
    }

    /**
     * Sends the cancel request for every connection, in parallel, and waits at most {@code bound} for the
     * requests to be delivered (not for the statements to end). Never throws.
     *
     * @param connections the connections whose statements to cancel
     * @param bound how long to wait for the requests to be delivered
     * @return how many cancel requests the server acknowledged within the bound
     */
    public static int cancelAll(Collection<? extends Connection> connections, Duration bound) {
        if (connections.isEmpty()) {
            return 0;
        }
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections.size());
        List<Thread> threads = new ArrayList<>();
        for (Connection c : connections) {
            // Daemon threads: a cancel request to an unreachable server must not hold up the JVM.
            Thread t = new Thread(() -> {
                try {
                    if (cancel(c)) {
                        sent.incrementAndGet();
                    }
                } finally {
                    done.countDown();
                }
            }, "switchboard-cancel-" + (threads.size() + 1));
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        try {
            done.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sent.get();
    }

    /**
     * Sends the driver's cancel request for what {@code connection} runs; false when it could not.
     *
     * @param connection the connection whose statement to cancel
     * @return whether the cancel request was sent
     */
    public static boolean cancel(Connection connection) {
        try {
            Connection c = connection;
            // Down through the pool's wrappers to the driver's connection (a few levels at most).
            for (int depth = 0; c != null && depth < 8; depth++) {
                Method cancelQuery = publicCancelQuery(c);
                if (cancelQuery != null) {
                    cancelQuery.invoke(c);
                    return true;
                }
                c = inner(c);
            }
            LOG.debug("The driver's connection under {} has no cancel request; nothing sent",
                    connection.getClass().getName());
            return false;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            LOG.debug("Cancel request failed (SQLSTATE {})",
                    cause instanceof SQLException sqlException ? sqlException.getSQLState() : null, cause);
            return false;
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Cancel request not sent", e);
            return false;
        }
    }

    private static Method publicCancelQuery(Connection c) {
        try {
            return c.getClass().getMethod("cancelQuery");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The connection {@code c} wraps, or null. */
    private static Connection inner(Connection c) throws SQLException {
        if (c instanceof ForwardingConnection forwarding) {
            return forwarding.delegate();
        }
        if (c.isWrapperFor(Connection.class)) {
            Connection unwrapped = c.unwrap(Connection.class);
            return unwrapped == c ? null : unwrapped;
        }
        return null;
    }
}
