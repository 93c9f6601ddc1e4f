package dev.sluice.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The delivery worker's HTTP client lives and ends with the application. */
@Timeout(120)
class DeliveryLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void stopping_the_application_stops_the_webhook_http_client() {
        // given a running application, its worker's client open
        DeliveryWorker worker;
        try (ConfigurableApplicationContext app = SluiceApplication.run("--server.port=0",
                "--sluice.data-dir=" + dataDir, "--SLUICE_BOOTSTRAP_API_KEY=sk_test_admin_key_for_delivery_lifecycle",
                "--sluice.verify.dns.enabled=false", "--sluice.drop.enabled=false")) {
            worker = app.getBean(DeliveryWorker.class);
            assertThat(worker.closed()).isFalse();
        }

        // when the application has stopped / then so has the client: no selector thread waits in native code,
        // which would hold the JVM's exit 300 ms
        assertThat(worker.closed()).isTrue();
    }
}
