package dev.sluice.server.support;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.sluice.server.SluiceApplication;
import dev.sluice.server.storage.TestS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * A whole Sluice server started by a contract test on one {@link TestDatabase}: a random port on loopback, a
 * data folder of its own (deleted on {@link #close()}), the test's properties on top of
 * {@code config/application.properties}. A {@code @ParameterizedClass} starts one per database in its
 * {@code @BeforeParameterizedClassInvocation} and closes it in its {@code @AfterParameterizedClassInvocation},
 * so one class runs its contract on each database and never holds a server longer than its own tests.
 */
public final class TestServer implements AutoCloseable {

    /** The prefix of every key a server on {@link TestBlobs#S3} writes in its bucket. */
    public static final String S3_PREFIX = "blobs";

    private final TestDatabase database;
    private final Path dataDir;
    private final String bucket;
    private final Map<String, Object> settings;
    private final TestClock clock;
    private ConfigurableApplicationContext context;

    private TestServer(TestDatabase database, Path dataDir, String bucket, Map<String, Object> settings,
            TestClock clock, ConfigurableApplicationContext context) {
        this.database = database;
        this.dataDir = dataDir;
        this.bucket = bucket;
        this.settings = settings;
        this.clock = clock;
        this.context = context;
    }

    /**
     * The settings most contracts share: the admin's key, a quick task poll, and verification without network
     * (offline checks only), plus the contract's own {@code more}.
     */
    @SafeVarargs
    public static Map<String, String> offline(String adminKey, Map.Entry<String, String>... more) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("SLUICE_BOOTSTRAP_API_KEY", adminKey);
        properties.put("sluice.job.poll-interval", "100ms");
        properties.put("sluice.verify.dns.enabled", "false");
        for (Map.Entry<String, String> entry : more) {
            properties.put(entry.getKey(), entry.getValue());
        }
        return properties;
    }

    /**
     * Starts a server on a new, empty database of {@code database} with the test's {@code properties} (Spring
     * names, e.g. {@code sluice.job.poll-interval}); the port and the data folder are the kit's.
     */
    public static TestServer start(TestDatabase database, Map<String, String> properties) {
        return start(database, TestBlobs.LOCAL, properties);
    }

    /** Starts a server as {@link #start(TestDatabase, Map)} does, with its files kept in {@code blobs}. */
    public static TestServer start(TestDatabase database, TestBlobs blobs, Map<String, String> properties) {
        return start(database, blobs, null, properties);
    }

    /**
     * Starts a server as {@link #start(TestDatabase, Map)} does, reading the time from {@code clock} (its primary
     * {@code Clock} bean) instead of the system clock. For a test that moves time: start it per test, never
     * on a server other tests share.
     */
    public static TestServer start(TestDatabase database, TestClock clock, Map<String, String> properties) {
        return start(database, TestBlobs.LOCAL, clock, properties);
    }

    private static TestServer start(TestDatabase database, TestBlobs blobs, TestClock clock,
            Map<String, String> properties) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("sluice-test-" + database.name().toLowerCase(java.util.Locale.ROOT) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data folder for a test server", e);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("server.address", "127.0.0.1");
        all.put("sluice.data-dir", dataDir.toString());
        all.putAll(database.properties());
        String bucket = null;
        if (blobs == TestBlobs.S3) {
            bucket = TestS3.newBucket();
            all.putAll(TestS3.serverProperties(bucket, S3_PREFIX));
        }
        all.putAll(properties);
        try {
            return new TestServer(database, dataDir, bucket, all, clock, run(all, clock));
        } catch (RuntimeException e) {
            FileSystemUtils.deleteRecursively(dataDir.toFile());
            throw e;
        }
    }

    private static ConfigurableApplicationContext run(Map<String, Object> all, TestClock clock) {
        SpringApplication application = new SpringApplicationBuilder(SluiceApplication.class).build();
        // first in line, as @DynamicPropertySource: above application.properties and the environment
        application.addInitializers(context -> context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("sluice-test-server", all)));
        if (clock != null) {
            // primary, so every Clock injection point takes it over config.ClockConfig's system clock
            application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("testClock",
                    Clock.class, () -> clock, definition -> definition.setPrimary(true)));
        }
        return application.run();
    }

    /**
     * Stops the server's application, as a shutdown would (its tasks stop, nothing more is written), and starts
     * a new one with the same settings on the same database, data folder and blobs: how a test shows that work
     * in flight survives a restart. The port is a new one.
     */
    public void restart() {
        context.close();
        context = run(settings, clock);
    }

    /** The database this server runs on. */
    public TestDatabase database() {
        return database;
    }

    /** The bucket of a server on {@link TestBlobs#S3}; null on {@link TestBlobs#LOCAL}. */
    public String bucket() {
        return bucket;
    }

    /** The server's data folder ({@code sluice.data-dir}). */
    public Path dataDir() {
        return dataDir;
    }

    /** The HTTP port the server listens on, on 127.0.0.1. */
    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** A client of this server. */
    public Http http() {
        return new Http("http://127.0.0.1:" + port());
    }

    /** The server's bean of {@code type}. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * Runs the task engine's due work now instead of at its next poll: db-scheduler's
     * {@code triggerCheckForDueExecutions}. A test that waits for tasks calls it instead of sleeping.
     */
    public void runDueTasks() {
        bean(Scheduler.class).triggerCheckForDueExecutions();
    }

    /** How many instances of task {@code name} whose id starts with {@code prefix} the task table holds. */
    public long tasks(String name, String prefix) {
        return bean(JdbcClient.class).sql("""
                SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = :name AND task_instance LIKE :prefix
                """).param("name", name).param("prefix", prefix + "%").query(Long.class).single();
    }

    /**
     * Runs due tasks until the task table holds no instance of task {@code name} whose id starts with
     * {@code prefix}: every run of it that was scheduled has happened, and none is left to come. How a test
     * proves that nothing more will happen, without sleeping.
     */
    public void awaitNoTasks(String name, String prefix) {
        Await.until("no " + name + " task " + prefix + "* left", () -> {
            runDueTasks();
            return tasks(name, prefix);
        }, left -> left == 0);
    }

    /** Fills the test's {@code @Autowired} and {@code @Value} fields ({@code @LocalServerPort} included). */
    public void inject(Object test) {
        context.getAutowireCapableBeanFactory().autowireBean(test);
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            FileSystemUtils.deleteRecursively(dataDir.toFile());
        }
    }

    @Override
    public String toString() {
        return "test server on " + database + (bucket == null ? "" : " and S3") + " at 127.0.0.1:" + port();
    }
}
