package dev.sluice.core.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SOCKS5 proxy on loopback for tests (RFC 1928 CONNECT, optionally RFC 1929 username/password): it
 * relays bytes both ways, one virtual thread per direction, and opens its outgoing connections from {@link
 * #egressAddress()} (a loopback address of its own, {@code 127.0.0.200}; IPv6 destinations from {@code
 * ::1}), so a {@link TestSmtpServer} can count the connections that came through it ({@link TestSmtpServer#connectionsFrom(InetAddress)}). It
 * counts the CONNECTs it relayed, records their destinations, and only ever connects to loopback.
 *
 * <pre>{@code
 * try (TestSocks5Server proxy = TestSocks5Server.start("sluice", "s3cret")) {
 *     ... SmtpProxy.parse("socks5://sluice:s3cret@127.0.0.1:" + proxy.port()) ...
 *     assertThat(proxy.connects()).isEqualTo(mx.connectionsFrom(proxy.egressAddress()));
 * }
 * }</pre>
 */
public final class TestSocks5Server implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final String username;
    private final String password;
    private volatile InetAddress egress = TestSmtpServer.loopback(200);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger refusedLogins = new AtomicInteger();
    private final List<String> destinations = new CopyOnWriteArrayList<>();
    private final List<Integer> addressTypes = new CopyOnWriteArrayList<>();
    private final Set<InetAddress> refused = ConcurrentHashMap.newKeySet();
    private final Set<InetAddress> silent = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TestSocks5Server(ServerSocket serverSocket, String username, String password) {
        this.serverSocket = serverSocket;
        this.username = username;
        this.password = password;
        Thread.ofVirtual().name("test-socks5-accept-" + serverSocket.getLocalPort()).start(this::acceptLoop);
    }

    /** A proxy without authentication on 127.0.0.1 on a free port. */
    public static TestSocks5Server start() {
        return start(null, null);
    }

    /** A proxy that demands this user name and password (RFC 1929), on 127.0.0.1 on a free port. */
    public static TestSocks5Server start(String username, String password) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(TestSmtpServer.loopback(1), 0));
            return new TestSocks5Server(socket, username, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** CONNECTs to this destination are answered REP 2 (not allowed by the proxy's rules). */
    public TestSocks5Server refuse(InetAddress destination) {
        refused.add(destination);
        return this;
    }

    /**
     * CONNECTs to this destination get no answer until the client gives up (as a proxy whose own connection
     * to a black-holed host hangs).
     */
    public TestSocks5Server silentFor(InetAddress destination) {
        silent.add(destination);
        return this;
    }

    /** Makes outgoing connections come from another loopback address, to tell two proxies apart. */
    public TestSocks5Server egressFrom(InetAddress address) {
        egress = address;
        return this;
    }

    /** The address the proxy's outgoing connections come from. */
    public InetAddress egressAddress() {
        return egress;
    }

    /** CONNECT requests relayed (the connection to the destination was made). */
    public int connects() {
        return connects.get();
    }

    /** Authentications refused for a wrong user name or password. */
    public int refusedLogins() {
        return refusedLogins.get();
    }

    /** {@code address:port} of every relayed CONNECT, in arrival order. */
    public List<String> destinations() {
        return Collections.unmodifiableList(destinations);
    }

    /** The ATYP of every CONNECT request received (1 IPv4, 3 domain name, 4 IPv6). */
    public List<Integer> addressTypes() {
        return Collections.unmodifiableList(addressTypes);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        open.forEach(TestSocks5Server::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = serverSocket.accept();
                open.add(client);
                Thread.ofVirtual().name("test-socks5-" + port()).start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("test SOCKS5 server stopped accepting", e);
                }
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            if (read(in) != 5) {
                return;
            }
            byte[] methods = in.readNBytes(read(in));
            int wanted = username == null ? 0 : 2;
            boolean offered = false;
            for (byte method : methods) {
                offered |= method == wanted;
            }
            if (!offered) {
                out.write(new byte[] {5, (byte) 0xFF});
                return;
            }
            out.write(new byte[] {5, (byte) wanted});
            if (wanted == 2) {
                read(in);
                String user = new String(in.readNBytes(read(in)), StandardCharsets.UTF_8);
                String pass = new String(in.readNBytes(read(in)), StandardCharsets.UTF_8);
                if (!username.equals(user) || !password.equals(pass)) {
                    refusedLogins.incrementAndGet();
                    out.write(new byte[] {1, 1});
                    return;
                }
                out.write(new byte[] {1, 0});
            }
            read(in);
            int command = read(in);
            read(in);
            int atyp = read(in);
            addressTypes.add(atyp);
            InetAddress destination = switch (atyp) {
                case 1 -> InetAddress.getByAddress(in.readNBytes(4));
                case 4 -> InetAddress.getByAddress(in.readNBytes(16));
                default -> null;
            };
            if (atyp == 3) {
                in.readNBytes(read(in));
            }
            int port = (read(in) << 8) | read(in);
            if (command != 1 || destination == null) {
                reply(out, command != 1 ? 7 : 8);
                return;
            }
            if (silent.contains(destination)) {
                in.transferTo(OutputStream.nullOutputStream()); // until the client closes
                return;
            }
            if (!destination.isLoopbackAddress() || refused.contains(destination)) {
                reply(out, 2); // a test proxy never leaves the machine
                return;
            }
            Socket upstream = new Socket();
            open.add(upstream);
            try {
                if (destination instanceof java.net.Inet4Address) {
                    upstream.bind(new InetSocketAddress(egress, 0)); // ::1 is reached from ::1
                }
                upstream.connect(new InetSocketAddress(destination, port), 2000);
            } catch (IOException e) {
                reply(out, 5);
                closeQuietly(upstream);
                return;
            }
            connects.incrementAndGet();
            destinations.add(destination.getHostAddress() + ":" + port);
            reply(out, 0);
            Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException ignored) {
            // the client went away or the test ended
        } finally {
            closeQuietly(client);
            open.remove(client);
        }
    }

    private static void reply(OutputStream out, int rep) throws IOException {
        out.write(new byte[] {5, (byte) rep, 0, 1, 127, 0, 0, 1, 0, 0});
        out.flush();
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static int read(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
