package db.core.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.util.Properties;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket factory Switchboard hands to pgjdbc ({@code socketFactory}): plain TCP sockets with
 * keepalive on and its timers in seconds instead of the kernel's default of two hours, so that a peer
 * that vanished (host down, network partition) is noticed within minutes even while a connection waits
 * for an answer. The driver instantiates it by name with its connection properties, from which it reads
 * {@link #IDLE_PROPERTY}, {@link #INTERVAL_PROPERTY} and {@link #COUNT_PROPERTY} (seconds, seconds,
 * probes); the core puts them there from {@code db.tcp-keepalive-idle} and
 * {@code db.tcp-keepalive-interval}. Where the platform lacks one of the options, that option keeps the
 * kernel's value.
 */
public final class KeepAliveSocketFactory extends SocketFactory {

    /** Driver property: seconds of silence before the first probe ({@code TCP_KEEPIDLE}). */
    public static final String IDLE_PROPERTY = "switchboard.tcpKeepIdle";
    /** Driver property: seconds between probes ({@code TCP_KEEPINTERVAL}). */
    public static final String INTERVAL_PROPERTY = "switchboard.tcpKeepInterval";
    /** Driver property: unanswered probes before the connection is declared dead ({@code TCP_KEEPCOUNT}). */
    public static final String COUNT_PROPERTY = "switchboard.tcpKeepCount";

    private static final int DEFAULT_IDLE_SECONDS = 60;
    private static final int DEFAULT_INTERVAL_SECONDS = 15;
    private static final int DEFAULT_COUNT = 4;

    private final int idleSeconds;
    private final int intervalSeconds;
    private final int count;

    /** With the defaults: first probe after 60 s of silence, then every 15 s, dead after 4 unanswered. */
    public KeepAliveSocketFactory() {
        this(new Properties());
    }

    /**
     * pgjdbc calls this one with the connection's properties.
     *
     * @param info the connection's driver properties
     */
    public KeepAliveSocketFactory(Properties info) {
        this.idleSeconds = positive(info, IDLE_PROPERTY, DEFAULT_IDLE_SECONDS);
        this.intervalSeconds = positive(info, INTERVAL_PROPERTY, DEFAULT_INTERVAL_SECONDS);
        this.count = positive(info, COUNT_PROPERTY, DEFAULT_COUNT);
    }

    private static int positive(Properties info, String key, int defaultValue) {
        String value = info.getProperty(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            return parsed > 0 ? parsed : defaultValue;
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    /** An unconnected socket with the keepalive options set; pgjdbc connects it itself. */
    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        configure(socket);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    private void configure(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds);
        setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, intervalSeconds);
        setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, count);
    }

    private static void setIfSupported(Socket socket, SocketOption<Integer> option, int value) throws IOException {
        if (socket.supportedOptions().contains(option)) {
            socket.setOption(option, value);
        }
    }

    @Override
    public String toString() {
        return "KeepAliveSocketFactory[idle " + idleSeconds + " s, interval " + intervalSeconds + " s, count "
                + count + "]";
    }
}
