package dev.sluice.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that hands every byte a server sends back to its client a fixed time after it arrived, so
 * that each request over it waits one round trip more, as with a server across a network, while a long response
 * still streams at full speed (its bytes are delayed, not slowed). For benches: {@code ClusterBench} puts it in
 * front of S3Mock to see what a bucket's round trips cost a job.
 */
public final class LatencyProxy implements AutoCloseable {

    private static final byte[] END = new byte[0];

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long delayNanos;

    private LatencyProxy(ServerSocket listener, InetSocketAddress target, Duration delay) {
        this.listener = listener;
        this.target = target;
        this.delayNanos = delay.toNanos();
    }

    /** Starts a proxy to {@code target} that delays what comes back by {@code delay}. */
    public static LatencyProxy start(URI target, Duration delay) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LatencyProxy proxy = new LatencyProxy(listener,
                new InetSocketAddress(target.getHost(), target.getPort()), delay);
        Thread.ofVirtual().name("latency-proxy-accept").start(proxy::accept);
        return proxy;
    }

    /** The proxy's address, as an endpoint URI. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> forward(client, server));
                BlockingQueue<Timed> delayed = new LinkedBlockingQueue<>();
                Thread.ofVirtual().start(() -> stamp(server, client, delayed));
                Thread.ofVirtual().start(() -> deliver(delayed, client, server));
            } catch (IOException e) {
                // closed, or one connection failed: the others go on
            }
        }
    }

    /** Client to server, as it comes. */
    private static void forward(Socket client, Socket server) {
        try (InputStream in = client.getInputStream()) {
            OutputStream out = server.getOutputStream();
            in.transferTo(out);
            server.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(server);
        }
    }

    /** Server to client: each read stamped with the time it is due at the client. */
    private void stamp(Socket server, Socket client, BlockingQueue<Timed> delayed) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = server.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                delayed.add(new Timed(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            // the connection ended either way
        }
        delayed.add(new Timed(System.nanoTime() + delayNanos, END));
    }

    private static void deliver(BlockingQueue<Timed> delayed, Socket client, Socket server) {
        try {
            OutputStream out = client.getOutputStream();
            while (true) {
                Timed next = delayed.take();
                long wait = next.due() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (next.bytes() == END) {
                    break;
                }
                out.write(next.bytes());
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private record Timed(long due, byte[] bytes) {
    }
}
