package dev.sluice.server.storage;

import dev.sluice.server.config.DataDirLock;
import dev.sluice.server.config.SluiceProperties;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Chooses the blob storage: local disk under {@code <data-dir>/blobs} by default, an S3-compatible bucket
 * when {@code sluice.storage.url} is {@code s3://bucket[/prefix]}.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    private static final Logger log = LoggerFactory.getLogger(StorageConfig.class);

    /**
     * The lock parameter is there for its order: local storage sweeps the partial writes an earlier,
     * killed process left, which is safe only once this process owns the data directory.
     */
    @Bean
    BlobStorage blobStorage(SluiceProperties sluice, StorageProperties storage, DataDirLock dataDirLock)
            throws IOException {
        if (storage.local()) {
            LocalBlobStorage local = new LocalBlobStorage(sluice.dataDir().resolve("blobs"));
            LocalBlobStorage.Swept swept = local.sweepAbandonedWrites();
            if (swept.files() > 0) {
                log.info("removed {} partial writes ({} bytes) an earlier process left unfinished", swept.files(),
                        swept.bytes());
            }
            return local;
        }
        return s3(storage);
    }

    /** Builds the S3 storage; public to the package so tests configure it exactly as the server does. */
    static S3BlobStorage s3(StorageProperties storage) {
        StorageProperties.S3 s3 = storage.s3();
        Region region = Region.of(s3.region());
        AwsCredentialsProvider credentials = credentials(s3);
        S3ClientBuilder client = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(s3.pathStyle());
        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyle()).build());
        if (s3.endpoint() != null) {
            // S3-compatible servers often reject the SDK's default trailing CRC checksums; send them only
            // where the API requires them
            client.endpointOverride(s3.endpoint())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            presigner.endpointOverride(s3.endpoint());
        }
        return new S3BlobStorage(client.build(), presigner.build(), storage.bucket(), storage.prefix());
    }

    private static AwsCredentialsProvider credentials(StorageProperties.S3 s3) {
        boolean hasAccessKey = s3.accessKey() != null && !s3.accessKey().isBlank();
        boolean hasSecretKey = s3.secretKey() != null && !s3.secretKey().isBlank();
        if (hasAccessKey != hasSecretKey) {
            throw new IllegalStateException("set both sluice.storage.s3.access-key and sluice.storage.s3.secret-key, "
                    + "or neither to use the AWS default credentials chain");
        }
        return hasAccessKey
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))
                : DefaultCredentialsProvider.builder().build();
    }
}
