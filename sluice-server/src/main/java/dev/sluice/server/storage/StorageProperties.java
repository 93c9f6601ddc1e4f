package dev.sluice.server.storage;

import java.net.URI;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where blobs live and how results are handed out.
 *
 * @param url empty (the default) keeps blobs on local disk under {@code <data-dir>/blobs};
 *     {@code s3://bucket} or {@code s3://bucket/prefix} keeps them in an S3-compatible bucket
 *     (env {@code SLUICE_STORAGE_URL})
 * @param s3 how to reach the bucket; read only when {@code url} is an {@code s3://} URL
 * @param download how a signed result link answers: {@code stream} (the default) sends the bytes through
 *     this node, {@code redirect} answers 302 to a presigned GET on the bucket valid until the link expires;
 *     local disk always streams (env {@code SLUICE_STORAGE_DOWNLOAD})
 * @param minFreeSpace free space kept in reserve on the data directory's disk (and the blob root's, with
 *     local blobs): below it new uploads answer 507 and the {@code storage} health component is DOWN; default
 *     {@value #DEFAULT_MIN_FREE_SPACE} (env {@code SLUICE_STORAGE_MINFREESPACE})
 * @param accountQuota bytes of blobs (uploads, their chunks and parts, results) one account may keep: an
 *     upload that would take it past answers 507; default 0, no quota (env {@code SLUICE_STORAGE_ACCOUNTQUOTA})
 */
@ConfigurationProperties("sluice.storage")
public record StorageProperties(
        String url,
        @DefaultValue S3 s3,
        @DefaultValue(DEFAULT_DOWNLOAD) Download download,
        @DefaultValue(DEFAULT_MIN_FREE_SPACE) DataSize minFreeSpace,
        @DefaultValue("0B") DataSize accountQuota) {

    public static final String DEFAULT_DOWNLOAD = "stream";
    public static final String DEFAULT_MIN_FREE_SPACE = "512MB";
    public static final String DEFAULT_REGION = "us-east-1";

    /**
     * The S3 client's settings.
     *
     * @param endpoint base URL of an S3-compatible server such as MinIO, e.g. {@code http://minio:9000};
     *     default: AWS's own endpoint for the region (env {@code SLUICE_STORAGE_S3_ENDPOINT})
     * @param region signing region; default {@value StorageProperties#DEFAULT_REGION}
     *     (env {@code SLUICE_STORAGE_S3_REGION})
     * @param accessKey access key id; default: the AWS SDK's default credentials chain (environment, profile,
     *     instance or container role) (env {@code SLUICE_STORAGE_S3_ACCESSKEY})
     * @param secretKey secret access key, set together with {@code accessKey}; default: the SDK's default
     *     credentials chain (env {@code SLUICE_STORAGE_S3_SECRETKEY})
     * @param pathStyle address the bucket as {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key},
     *     as most self-hosted servers need; default false (env {@code SLUICE_STORAGE_S3_PATHSTYLE})
     */
    public record S3(
            URI endpoint,
            @DefaultValue(DEFAULT_REGION) String region,
            String accessKey,
            String secretKey,
            @DefaultValue("false") boolean pathStyle) {
    }

    /** How a signed result link serves the result. */
    public enum Download {
        /** The node reads the blob and sends its bytes. */
        STREAM,
        /** The node answers 302 to a presigned GET, so the bytes flow from the bucket straight to the client. */
        REDIRECT
    }

    /** True when blobs stay on local disk. */
    public boolean local() {
        return url == null || url.isBlank();
    }

    /** The bucket named by an {@code s3://bucket[/prefix]} URL. */
    public String bucket() {
        return s3Url().getHost();
    }

    /** The key prefix of an {@code s3://bucket/prefix} URL without slashes at either end; empty when none. */
    public String prefix() {
        String path = s3Url().getPath();
        return path == null ? "" : path.replaceAll("^/+|/+$", "");
    }

    private URI s3Url() {
        URI uri = URI.create(url.trim());
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("sluice.storage.url must be empty (local disk) or s3://bucket[/prefix], not "
                    + url);
        }
        return uri;
    }
}
