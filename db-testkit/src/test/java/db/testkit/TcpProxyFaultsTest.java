package db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's fault modes, against a loopback echo server (no database needed to prove the plumbing). */
class TcpProxyFaultsTest {

    private ServerSocket echo;
    private Thread echoThread;
    private TcpProxy proxy;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> echoLoop(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        echoThread.setDaemon(true);
        echoThread.start();
        proxy = TcpProxy.start(echo.getLocalPort(), TcpProxy.Mode.FORWARD);
    }

    private static void echoLoop(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] b = new byte[1024];
            int n;
            while ((n = in.read(b)) >= 0) {
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket client() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(500);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] b = new byte[text.length()];
        int read = 0;
        while (read < b.length) {
            int n = s.getInputStream().read(b, read, b.length - read);
            if (n < 0) {
                throw new SocketException("closed");
            }
            read += n;
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void forwards() throws IOException {
        try (Socket s = client()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
        }
        assertThat(proxy.connectionAttempts()).isEqualTo(1);
    }

    @Test
    void stallBothWaysHoldsBytesUntilResumed() throws IOException {
        try (Socket s = client()) {
            assertThat(roundTrip(s, "a")).isEqualTo("a");
            proxy.stall();
            assertThatThrownBy(() -> roundTrip(s, "b")).isInstanceOf(SocketTimeoutException.class);
            assertThat(s.isClosed()).isFalse();
            proxy.resume();
            s.setSoTimeout(2_000);
            byte[] b = new byte[1];
            assertThat(s.getInputStream().read(b)).isEqualTo(1); // the held byte arrives
            assertThat((char) b[0]).isEqualTo('b');
        }
    }

    @Test
    void stallOneWayLetsRequestsThroughButNoAnswers() throws IOException {
        assertStalledUntilReleased(TcpProxy.Direction.DOWNSTREAM, 'x', proxy::resume);
        assertStalledUntilReleased(TcpProxy.Direction.UPSTREAM, 'y', proxy::forward);
    }

    /**
     * Stalls one direction on a fresh connection: a round trip of {@code payload} times out; once
     * {@code release} runs, the held byte arrives.
     */
    private void assertStalledUntilReleased(TcpProxy.Direction direction, char payload, Runnable release)
            throws IOException {
        try (Socket s = client()) {
            proxy.stall(direction);
            assertThatThrownBy(() -> roundTrip(s, String.valueOf(payload))).isInstanceOf(SocketTimeoutException.class);
            release.run();
            s.setSoTimeout(2_000);
            assertThat(s.getInputStream().read()).isEqualTo(payload);
        }
    }

    @Test
    void refuseResetsNewConnectionsAndLeavesOpenOnes() throws IOException {
        try (Socket open = client()) {
            assertThat(roundTrip(open, "open")).isEqualTo("open"); // accepted before refusing
            proxy.refuse();
            try (Socket refused = client()) {
                assertThatThrownBy(() -> roundTrip(refused, "z")).isInstanceOf(IOException.class);
            }
            assertThat(roundTrip(open, "still")).isEqualTo("still");
        }
        proxy.forward();
        try (Socket s = client()) {
            assertThat(roundTrip(s, "back")).isEqualTo("back");
        }
    }

    @Test
    void cutClosesEveryOpenConnection() throws IOException {
        try (Socket a = client(); Socket b = client()) {
            assertThat(roundTrip(a, "1")).isEqualTo("1");
            assertThat(roundTrip(b, "2")).isEqualTo("2");
            proxy.cut();
            assertThatThrownBy(() -> roundTrip(a, "3")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> roundTrip(b, "4")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void cutAfterUpstreamForwardsTheMarkedChunkThenCuts() throws IOException {
        proxy.cutAfterUpstream("COMMIT");
        try (Socket s = client()) {
            assertThat(roundTrip(s, "BEGIN")).isEqualTo("BEGIN");
            assertThatThrownBy(() -> roundTrip(s, "COMMIT")).isInstanceOf(IOException.class);
        }
        assertThat(proxy.markerCuts()).isEqualTo(1);
        try (Socket s = client()) {
            assertThat(roundTrip(s, "COMMIT")).isEqualTo("COMMIT"); // one-shot
        }
    }
}
