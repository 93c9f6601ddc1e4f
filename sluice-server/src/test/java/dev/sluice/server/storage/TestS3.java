package dev.sluice.server.storage;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One S3Mock server per test JVM (in-process, plain HTTP on loopback, a random port), started on first use
 * and stopped when the JVM exits. Each caller gets a bucket of its own, so tests never see each other's
 * objects. Clients use path-style addressing and dummy credentials, as with MinIO.
 */
public final class TestS3 {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String REGION = "us-east-1";

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3MockApplication server;
    private static S3Client admin;

    private TestS3() {
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public static synchronized URI endpoint() {
        return URI.create("http://127.0.0.1:" + server().getPort());
    }

    /** Creates a new, empty bucket and answers its name. */
    public static synchronized String newBucket() {
        String name = "sluice-test-" + BUCKETS.incrementAndGet();
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    /** The server properties ({@code sluice.storage.*}) that keep a test server's blobs in {@code bucket}. */
    public static java.util.Map<String, String> serverProperties(String bucket, String prefix) {
        return java.util.Map.of(
                "sluice.storage.url", "s3://" + bucket + "/" + prefix,
                "sluice.storage.s3.endpoint", endpoint().toString(),
                "sluice.storage.s3.region", REGION,
                "sluice.storage.s3.access-key", ACCESS_KEY,
                "sluice.storage.s3.secret-key", SECRET_KEY,
                "sluice.storage.s3.path-style", "true");
    }

    /** Settings for {@link StorageProperties} that point at {@code bucket} on this server. */
    public static StorageProperties properties(String bucket, String prefix,
            StorageProperties.Download download) {
        String url = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        return new StorageProperties(url,
                new StorageProperties.S3(endpoint(), REGION, ACCESS_KEY, SECRET_KEY, true), download,
                DataSize.parse(StorageProperties.DEFAULT_MIN_FREE_SPACE), DataSize.ofBytes(0));
    }

    /** A storage on {@code bucket} built the way the server builds it. */
    public static S3BlobStorage storage(String bucket, String prefix) {
        return StorageConfig.s3(properties(bucket, prefix, StorageProperties.Download.STREAM));
    }

    /** Every object key in the bucket, in key order. */
    public static List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        for (var page : client().listObjectsV2Paginator(b -> b.bucket(bucket))) {
            page.contents().stream().map(S3Object::key).forEach(keys::add);
        }
        return keys;
    }

    /** Multipart uploads started and neither completed nor aborted. */
    public static int openUploads(String bucket) {
        return client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    private static synchronized S3Client client() {
        if (admin == null) {
            admin = S3Client.builder()
                    .endpointOverride(endpoint())
                    .region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .forcePathStyle(true)
                    .build();
        }
        return admin;
    }

    private static S3MockApplication server() {
        if (server == null) {
            Path root;
            try {
                root = Files.createTempDirectory("s3mock");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create S3Mock's folder", e);
            }
            Map<String, Object> properties = new HashMap<>();
            // Sluice's own application.properties comes first on the test classpath and would hide
            // S3Mock's; read neither and give S3Mock its settings here
            properties.put("spring.config.name", "s3mock-in-sluice-tests");
            properties.put("spring.jmx.enabled", false);
            // the test classpath carries Sluice's JDBC and springdoc; S3Mock needs neither
            properties.put("spring.autoconfigure.exclude", String.join(",",
                    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                    "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
                    "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
                    "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration"));
            properties.put("springdoc.api-docs.enabled", false);
            properties.put("springdoc.swagger-ui.enabled", false);
            properties.put("spring.main.lazy-initialization", true);
            properties.put("management.endpoints.web.discovery.enabled", false);
            properties.put("management.endpoints.access.default", "none");
            properties.put("com.adobe.testing.s3mock.store.region", REGION);
            properties.put("com.adobe.testing.s3mock.store.root", root.toString());
            properties.put("com.adobe.testing.s3mock.store.retain-files-on-exit", false);
            // an 8 MiB part plus headroom
            properties.put("com.adobe.testing.s3mock.max-payload-size", "32MB");
            properties.put("server.tomcat.max-part-count", -1);
            properties.put("server.tomcat.max-swallow-size", "32MB");
            properties.put("server.tomcat.max-http-form-post-size", "32MB");
            properties.put("spring.servlet.multipart.max-file-size", "32MB");
            properties.put("spring.servlet.multipart.max-request-size", "32MB");
            // plain HTTP on the main connector, on loopback, on a random port; the extra HTTP connector
            // S3Mock always adds gets a random port too, so two test JVMs never collide
            properties.put("server.ssl.enabled", false);
            properties.put("server.address", "127.0.0.1");
            properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
            properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
            properties.put("com.adobe.testing.s3mock.httpPort", S3MockApplication.RANDOM_PORT);
            properties.put("com.adobe.testing.s3mock.vectors.httpPort", S3MockApplication.RANDOM_PORT);
            properties.put("com.adobe.testing.s3mock.vectors.httpsPort", S3MockApplication.RANDOM_PORT);
            properties.put("spring.main.banner-mode", "off");
            server = S3MockApplication.start(properties);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }
}
