package dev.sluice.server.drop;

import dev.sluice.server.storage.TestS3;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The SFTP drop when the files live in an S3 bucket (S3Mock in this JVM), as on a cluster: the session
 * sees a local mirror of the account's drop, brought up to date at each login.
 */
class S3SftpDropTest extends SftpDropContractTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
        String bucket = TestS3.newBucket();
        registry.add("sluice.storage.url", () -> "s3://" + bucket + "/drop");
        registry.add("sluice.storage.s3.endpoint", () -> TestS3.endpoint().toString());
        registry.add("sluice.storage.s3.region", () -> TestS3.REGION);
        registry.add("sluice.storage.s3.access-key", () -> TestS3.ACCESS_KEY);
        registry.add("sluice.storage.s3.secret-key", () -> TestS3.SECRET_KEY);
        registry.add("sluice.storage.s3.path-style", () -> "true");
    }
}
