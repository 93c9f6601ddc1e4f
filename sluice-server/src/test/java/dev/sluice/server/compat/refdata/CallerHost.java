package dev.sluice.server.compat.refdata;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.server.support.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in, on loopback, for the seed's two outside hosts: {@code my.host.com}, which serves the source
 * files (GET), and {@code callers.domain.com}, which receives the {@code responseUri} callbacks (POST). A
 * real HTTP server (the JDK's): every callback is recorded with its headers and answered 204.
 */
final class CallerHost implements AutoCloseable {

    /** One callback as received; header names lower-cased. */
    record Callback(String method, String path, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Callback> callbacks = new CopyOnWriteArrayList<>();

    CallerHost() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && files.containsKey(path)) {
                byte[] file = files.get(path);
                exchange.sendResponseHeaders(200, file.length);
                exchange.getResponseBody().write(file);
            } else if (exchange.getRequestMethod().equals("POST")) {
                Map<String, String> headers = new ConcurrentHashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                        values.getFirst()));
                callbacks.add(new Callback("POST", path, headers,
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
    }

    /** The scheme, loopback address and port that replace a seed host. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void serve(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The first callback whose body contains {@code text}, once it came. */
    Callback await(String text) {
        return Await.until("a callback containing " + text,
                () -> callbacks.stream().filter(callback -> callback.body().contains(text)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
