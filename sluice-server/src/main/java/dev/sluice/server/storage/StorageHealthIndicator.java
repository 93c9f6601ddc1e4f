package dev.sluice.server.storage;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code storage} health component, part of readiness: UP when the blob storage passes its
 * {@link BlobStorage#probe() probe}, DOWN (with the reason logged) when it does not, so a node that cannot
 * keep uploads or results stops taking traffic.
 */
@Component
class StorageHealthIndicator extends AbstractHealthIndicator {

    private final BlobStorage storage;

    StorageHealthIndicator(BlobStorage storage) {
        super("blob storage probe failed");
        this.storage = storage;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        storage.probe();
        builder.up().withDetail("kind", storage instanceof S3BlobStorage ? "s3" : "local");
    }
}
