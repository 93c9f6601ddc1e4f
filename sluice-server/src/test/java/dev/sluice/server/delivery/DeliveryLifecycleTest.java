package dev.sluice.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The delivery worker's HTTP client is made by the first attempt and ends with the application. That an
 * application whose worker has delivered stops the client is checked after DeliveryContractTest's deliveries.
 */
@Timeout(120)
class DeliveryLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void a_start_makes_no_http_client_and_stopping_the_application_closes_the_worker() {
        // given a running application that has delivered nothing
        DeliveryWorker worker;
        try (ConfigurableApplicationContext app = SluiceApplication.run("--server.port=0",
                "--sluice.data-dir=" + dataDir, "--SLUICE_BOOTSTRAP_API_KEY=sk_test_admin_key_for_delivery_lifecycle",
                "--sluice.verify.dns.enabled=false", "--sluice.drop.enabled=false")) {
            worker = app.getBean(DeliveryWorker.class);
            // then no client (making one loads the TLS context) and no selector thread yet
            assertThat(worker.clientMade()).isFalse();
            assertThat(worker.closed()).isFalse();
        }

        // when the application has stopped / then the worker is closed: an attempt now makes no client, and a
        // client made before would have been stopped, so no selector thread holds the JVM's exit 300 ms
        assertThat(worker.closed()).isTrue();
        assertThat(worker.clientMade()).isFalse();
    }
}
