package db.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real TCP proxy on the loopback interface for fault injection: tests point the driver at
 * {@link #port()} and switch what happens to new connections with {@link #mode(Mode)} (forward, refuse,
 * hang), {@link #cut()} the ones that are open, {@link #stall()} traffic both ways or
 * {@link #stall(Direction)} one way on open and new connections (sockets stay open, bytes are held
 * until {@link #resume()}), or cut everything right after the client sent a given statement
 * ({@link #cutAfterUpstream(String)}, {@link #cutAfterNextUpstream(String)}, e.g. during a COMMIT). Only loopback addresses, on both sides.
 *
 * <p>Threads are bounded: one acceptor plus two pumps per forwarded connection, at most
 * {@code maxConnections} connections at once (more are closed on accept). Closing the proxy closes
 * every socket and stops every thread.
 */
public final class TcpProxy implements AutoCloseable {

    /** What the proxy does with a connection it accepts. */
    public enum Mode {
        /** Forward bytes both ways to the target. */
        FORWARD,
        /** Close the accepted socket at once with a reset: the server "refuses". */
        REFUSE,
        /** Keep the accepted socket open and never answer: the server "hangs". */
        STALL
    }

    /** A direction of traffic through the proxy. */
    public enum Direction {
        /** From the client (the driver) to the server. */
        UPSTREAM,
        /** From the server to the client. */
        DOWNSTREAM
    }

    private static final int DEFAULT_MAX_CONNECTIONS = 32;
    private static final AtomicInteger IDS = new AtomicInteger(); // thread names only

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final ExecutorService pumps;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final int maxConnections;
    private volatile Mode mode;
    private volatile boolean closed;
    private volatile boolean recording;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionIds = new AtomicInteger();

    /**
     * One round trip as the server received it: every frontend message the client sent before the server
     * answered (pgjdbc pipelines its {@code BEGIN} with the first statement, so both are one exchange),
     * with the text of its simple {@code Query} and {@code Parse} messages ({@code statements} is empty
     * when the client only bound and executed statements it had prepared before). {@code connection}
     * numbers the client connections the proxy accepted, from 1. Statement text is the client's, for
     * tests only.
     */
    public record Exchange(int connection, List<String> statements) {
        /** A pool's validation probe (pgjdbc's {@code isValid} sends an empty query). */
        public boolean isValidationProbe() {
            return statements.size() == 1 && statements.get(0).isBlank();
        }
    }
    private final Object flow = new Object();
    private volatile boolean upstreamStalled;
    private volatile boolean downstreamStalled;
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicReference<Trigger> cutMarker = new AtomicReference<>();
    private final AtomicInteger markerCuts = new AtomicInteger();

    private TcpProxy(InetSocketAddress target, Mode mode, int maxConnections) throws IOException {
        this.target = target;
        this.mode = mode;
        this.maxConnections = maxConnections;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int id = IDS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pumps = new ThreadPoolExecutor(0, 2 * maxConnections, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "tcp-proxy-" + id + "-pump-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + id + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code 127.0.0.1:targetPort} that starts in {@code mode}. */
    public static TcpProxy start(int targetPort, Mode mode) {
        return start("127.0.0.1", targetPort, mode);
    }

    /** A proxy to a loopback {@code host:port} that starts in {@code mode}. */
    public static TcpProxy start(String host, int port, Mode mode) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("TcpProxy only forwards to loopback addresses, not " + host);
            }
            return new TcpProxy(new InetSocketAddress(address, port), mode, DEFAULT_MAX_CONNECTIONS);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the proxy: " + e.getMessage(), e);
        }
    }

    /**
     * A proxy in front of the server of a {@code jdbc:postgresql://host:port/...} URL; see
     * {@link #rewrite(String)} for the URL that goes through it.
     */
    public static TcpProxy forJdbcUrl(String jdbcUrl, Mode mode) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return start(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), mode);
    }

    /** The JDBC URL with its host and port replaced by this proxy's. */
    public String rewrite(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        return jdbcUrl.replaceFirst(java.util.regex.Pattern.quote(hostPort), "127.0.0.1:" + port());
    }

    /** The loopback port the proxy listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Changes what happens to connections accepted from now on; open ones are not touched. */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    /**
     * Counting mode: on connections accepted from now on, every flight of frontend messages the server
     * answers is recorded as an {@link Exchange}, so tests count the round trips the server received,
     * not what the client thinks it sent. The connection start-up (untyped messages, authentication) is
     * not counted; a {@code Terminate} the server never answers is not a round trip either. Only
     * unencrypted connections are understood (the local test server does not use TLS).
     */
    public TcpProxy recordExchanges() {
        recording = true;
        return this;
    }

    /** The round trips recorded so far, in the order the proxy forwarded them. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** How many round trips were recorded so far. */
    public int exchangeCount() {
        return exchanges.size();
    }

    /** The current mode. */
    public Mode mode() {
        return mode;
    }

    /** Forwards new connections and lets traffic flow again on open ones (undoes stall and refuse). */
    public void forward() {
        mode = Mode.FORWARD;
        resume();
    }

    /** New connections are refused (reset at once); open ones are not touched. */
    public void refuse() {
        mode = Mode.REFUSE;
    }

    /**
     * Stops traffic both ways on open and new connections: sockets stay open and bytes are held, as in a
     * network partition where no packet arrives (no FIN, no RST). New connections are still accepted
     * (the TCP handshake completes) but see no bytes either.
     */
    public void stall() {
        upstreamStalled = true;
        downstreamStalled = true;
    }

    /** Stops traffic in one direction only (e.g. requests reach the server, answers never come back). */
    public void stall(Direction direction) {
        if (direction == Direction.UPSTREAM) {
            upstreamStalled = true;
        } else {
            downstreamStalled = true;
        }
    }

    /** Lets held traffic flow again, both ways. */
    public void resume() {
        synchronized (flow) {
            upstreamStalled = false;
            downstreamStalled = false;
            flow.notifyAll();
        }
    }

    /**
     * Arms a one-shot fault: the next chunk the client sends that contains {@code marker} is forwarded to
     * the server, and then every connection is cut before any answer can return. The client cannot know
     * whether the server acted on it.
     */
    public void cutAfterUpstream(String marker) {
        cutMarker.set(new Trigger(marker.getBytes(StandardCharsets.US_ASCII), 0));
    }

    /**
     * Arms a one-shot fault on the chunk that follows the one containing {@code marker} on the same
     * connection: it is forwarded, then every connection is cut. For a transaction whose statement carries
     * the marker, the next chunk is its COMMIT (pgjdbc sends a prepared COMMIT by name, without its text).
     */
    public void cutAfterNextUpstream(String marker) {
        cutMarker.set(new Trigger(marker.getBytes(StandardCharsets.US_ASCII), 1));
    }

    /** An armed fault: the bytes that fire it, and how many chunks after theirs the cut comes. */
    private static final class Trigger {
        private final byte[] marker;
        private final int following;

        Trigger(byte[] marker, int following) {
            this.marker = marker;
            this.following = following;
        }

        byte[] marker() {
            return marker;
        }

        int following() {
            return following;
        }
    }

    /** How many {@link #cutAfterUpstream(String)} / {@link #cutAfterNextUpstream(String)} faults fired. */
    public int markerCuts() {
        return markerCuts.get();
    }

    /** How many connections clients opened to the proxy so far (forwarded, refused or hung). */
    public int connectionAttempts() {
        return attempts.get();
    }

    /** How many client connections are open through the proxy now (forwarded or stalled). */
    public int openConnections() {
        return (int) sockets.stream().filter(s -> s.getLocalPort() == port()).count();
    }

    /** Closes every open connection (both sides), like a network cut or a server crash. */
    public void cut() {
        List<Socket> open = List.copyOf(sockets);
        open.forEach(TcpProxy::closeQuietly);
        sockets.removeAll(open);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            handle(client);
        }
    }

    private void handle(Socket client) {
        attempts.incrementAndGet();
        Mode now = mode;
        if (now == Mode.REFUSE || openConnections() >= maxConnections) {
            reset(client);
            return;
        }
        sockets.add(client);
        if (now == Mode.STALL) {
            return; // held open, never read, until cut() or close()
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(upstream);
            sockets.remove(client);
            reset(client);
            return;
        }
        sockets.add(upstream);
        FrontendParser parser = recording ? new FrontendParser(connectionIds.incrementAndGet(), exchanges::add) : null;
        try {
            pumps.execute(() -> pump(client, upstream, Direction.UPSTREAM, parser));
            pumps.execute(() -> pump(upstream, client, Direction.DOWNSTREAM, parser));
        } catch (RejectedExecutionException e) {
            closePair(client, upstream);
        }
    }

    private void pump(Socket from, Socket to, Direction direction, FrontendParser parser) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            Trigger armed = null; // this connection saw the marker; cut after the following chunk
            while ((n = in.read(buffer)) >= 0) {
                // While stalled the chunk is held here and the rest stays in the kernel's buffers, so the
                // sender sees an open socket and no answer, like a silent network.
                if (!awaitFlowing(direction, from)) {
                    return;
                }
                if (parser != null) {
                    // Before forwarding: a flight is recorded before the server can answer it, and closed
                    // before its answer reaches the client.
                    if (direction == Direction.UPSTREAM) {
                        parser.feed(buffer, n);
                    } else {
                        parser.serverAnswered();
                    }
                }
                boolean cutNow = false;
                if (direction == Direction.UPSTREAM) {
                    if (armed != null) {
                        cutNow = cutMarker.compareAndSet(armed, null);
                        armed = null;
                    } else {
                        Trigger trigger = markerHit(buffer, n);
                        if (trigger != null && trigger.following() == 0) {
                            cutNow = cutMarker.compareAndSet(trigger, null);
                        } else {
                            armed = trigger;
                        }
                    }
                }
                if (cutNow) {
                    // Hold answers first, so that none can slip back between forwarding and cutting.
                    boolean wasStalled = downstreamStalled;
                    downstreamStalled = true;
                    out.write(buffer, 0, n);
                    out.flush();
                    markerCuts.incrementAndGet();
                    cut();
                    if (!wasStalled) {
                        synchronized (flow) {
                            downstreamStalled = false;
                            flow.notifyAll();
                        }
                    }
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the pair is over
        } finally {
            closePair(from, to);
        }
    }

    private boolean awaitFlowing(Direction direction, Socket from) {
        synchronized (flow) {
            while (direction == Direction.UPSTREAM ? upstreamStalled : downstreamStalled) {
                if (from.isClosed() || closed) {
                    return false;
                }
                try {
                    flow.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private Trigger markerHit(byte[] buffer, int length) {
        Trigger trigger = cutMarker.get();
        return trigger == null || indexOf(buffer, length, trigger.marker()) < 0 ? null : trigger;
    }

    private static int indexOf(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i <= length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void closePair(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        sockets.remove(a);
        sockets.remove(b);
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST instead of FIN: looks like a refusal to the client
        } catch (SocketException e) {
            // closing is what matters
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        cut();
        resume();
        pumps.shutdownNow();
        try {
            acceptor.join(2_000);
            pumps.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + target + ", " + mode + "]";
    }

    /**
     * Splits the client's byte stream into PostgreSQL frontend messages: untyped ones first
     * (SSLRequest, GSSENCRequest, then the StartupMessage), then typed ones ({@code type, int32 length,
     * body}). Only the SQL text of {@code Q} and {@code P} is read.
     */
    private static final class FrontendParser {
        private static final int PROTOCOL_3 = 196608;
        private final int connection;
        private final Consumer<Exchange> sink;
        private byte[] pending = new byte[0];
        private boolean started;
        private List<String> flight = new ArrayList<>();
        private int typed;

        FrontendParser(int connection, Consumer<Exchange> sink) {
            this.connection = connection;
            this.sink = sink;
        }

        synchronized void feed(byte[] data, int length) {
            byte[] all = new byte[pending.length + length];
            System.arraycopy(pending, 0, all, 0, pending.length);
            System.arraycopy(data, 0, all, pending.length, length);
            int pos = 0;
            while (true) {
                if (!started) {
                    if (all.length - pos < 8) {
                        break;
                    }
                    int len = readInt(all, pos);
                    if (all.length - pos < len) {
                        break;
                    }
                    if (readInt(all, pos + 4) == PROTOCOL_3) {
                        started = true;
                    }
                    pos += len;
                } else {
                    if (all.length - pos < 5) {
                        break;
                    }
                    int len = readInt(all, pos + 1);
                    if (all.length - pos < 1 + len) {
                        break;
                    }
                    message((char) all[pos], all, pos + 5);
                    pos += 1 + len;
                }
            }
            pending = java.util.Arrays.copyOfRange(all, pos, all.length);
        }

        private void message(char type, byte[] data, int body) {
            typed++;
            if (type == 'Q') {
                flight.add(cString(data, body));
            } else if (type == 'P') {
                flight.add(cString(data, indexOfZero(data, body) + 1));
            }
        }

        /** The server sent something: the flight it answers is one exchange. */
        synchronized void serverAnswered() {
            if (started && typed > 0) {
                sink.accept(new Exchange(connection, List.copyOf(flight)));
            }
            flight = new ArrayList<>();
            typed = 0;
        }

        private static int indexOfZero(byte[] data, int from) {
            int i = from;
            while (i < data.length && data[i] != 0) {
                i++;
            }
            return i;
        }

        private static String cString(byte[] data, int from) {
            return new String(data, from, indexOfZero(data, from) - from, StandardCharsets.UTF_8);
        }

        private static int readInt(byte[] data, int pos) {
            return ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                    | (data[pos + 3] & 0xff);
        }
    }
}
