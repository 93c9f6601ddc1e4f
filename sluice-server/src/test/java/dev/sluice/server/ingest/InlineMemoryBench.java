package dev.sluice.server.ingest;

import dev.sluice.server.SluiceApplication;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Figures, not a test: the heap an inline batch of about 10 MB of JSON costs the server. Starts the server
 * in this JVM (SQLite, local blobs, API role only so no worker loads the batches), then prints (1) the bytes allocated by all threads of the JVM while one
 * request is answered, median of 5 after 2 warm-ups, and (2) the statuses of 10 such requests sent at once.
 * The requests are sent by {@code /usr/bin/curl}, so the client's memory is not in the figures.
 * Run it with a small heap to see whether concurrent inline batches still fit:
 *
 * <pre>{@code
 * ./mvnw -o -q -pl sluice-server -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=/tmp/inline.cp
 * cd sluice-server && java -Xmx256m --enable-native-access=ALL-UNNAMED \
 *     -cp target/test-classes:target/classes:$(cat /tmp/inline.cp) dev.sluice.server.ingest.InlineMemoryBench
 * }</pre>
 */
public final class InlineMemoryBench {

    private static final String KEY = "sk_bench_admin_key_for_inline";

    private InlineMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        int concurrent = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        byte[] body = body(10 * 1000 * 1000);
        Path dataDir = Files.createTempDirectory("sluice-inline-bench");
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("sluice.data-dir", dataDir.toString());
        properties.put("SLUICE_BOOTSTRAP_API_KEY", KEY);
        properties.put("sluice.verify.dns.enabled", "false");
        properties.put("sluice.drop.enabled", "false");
        properties.put("sluice.node.roles", "api");
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SluiceApplication.class)
                .properties(properties).run()) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String base = "http://127.0.0.1:" + port + "/api/v1";
            HttpClient http = HttpClient.newHttpClient();
            String job = send(http, HttpRequest.newBuilder(URI.create(base + "/jobs"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"inline bench\",\"operation\":\"verify\"}")))
                    .body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
            String batches = base + "/jobs/" + job + "/batches";
            Path file = dataDir.resolve("body.json");
            Files.write(file, body);
            System.out.printf("body: %,d bytes of JSON, max heap %,d MB%n", body.length,
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));

            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            List<Long> allocated = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long before = threads.getTotalThreadAllocatedBytes();
                String status = curl(file, batches);
                long after = threads.getTotalThreadAllocatedBytes();
                if (!status.equals("201")) {
                    System.out.println("request " + i + " answered " + status);
                }
                if (i >= 2) {
                    allocated.add(after - before);
                }
            }
            allocated.sort(null);
            System.out.printf("allocated per request (all threads, median of 5): %,d MB%n",
                    allocated.get(2) / (1024 * 1024));

            Map<String, Integer> statuses = new TreeMap<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(concurrent)) {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < concurrent; i++) {
                    answers.add(pool.submit(() -> curl(file, batches)));
                }
                for (Future<String> answer : answers) {
                    statuses.merge(answer.get(), 1, Integer::sum);
                }
            }
            System.out.println(concurrent + " requests at once, answers by status: " + statuses);
        }
    }

    /** POSTs the file with curl; answers the HTTP status. */
    private static String curl(Path file, String url) throws Exception {
        Process curl = new ProcessBuilder("/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "-H", "x-api-key: " + KEY, "-H", "Content-Type: application/json", "--data-binary", "@" + file, url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        curl.waitFor();
        return status;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.header("x-api-key", KEY).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {"records": [...]} of objects with four fields, just under {@code size} bytes. */
    private static byte[] body(int size) {
        StringBuilder json = new StringBuilder(size + 200).append("{\"records\":[");
        for (int i = 0; json.length() < size - 200; i++) {
            json.append(i == 0 ? "" : ",").append("{\"email\":\"user").append(i).append("@example.com\",\"first_name\":\"Name")
                    .append(i).append("\",\"id\":").append(i).append(",\"note\":\"inline record number ").append(i)
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
