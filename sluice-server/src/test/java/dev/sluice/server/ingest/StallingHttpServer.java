package dev.sluice.server.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on loopback that answers every request with its headers (a million-byte body announced)
 * and then one byte per {@code interval}, for as long as the client stays or until it is closed.
 */
final class StallingHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Duration interval;
    private final AtomicInteger connections = new AtomicInteger();

    StallingHttpServer(Duration interval) throws IOException {
        this.interval = interval;
        this.socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Thread.ofPlatform().daemon().name("stalling-http-accept").start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                Thread.ofPlatform().daemon().name("stalling-http").start(() -> stall(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void stall(Socket client) {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // the request headers are not looked at
            }
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nemail\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            while (!socket.isClosed()) {
                Thread.sleep(interval.toMillis());
                out.write('a');
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server is closing
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
