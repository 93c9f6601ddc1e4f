package dev.sluice.server.storage;

import dev.sluice.server.config.SluiceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the blob storage. The embedded default keeps blobs under {@code <data-dir>/blobs}. */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    @Bean
    BlobStorage blobStorage(SluiceProperties sluice) {
        return new LocalBlobStorage(sluice.dataDir().resolve("blobs"));
    }
}
