package dev.sluice.server.ingest;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and links for getting records in.
 *
 * @param maxFileSize largest file one batch takes; default 50MB (env {@code SLUICE_INGEST_MAX_FILE_SIZE})
 * @param maxInlineSize largest inline JSON batch; default 10MB (env {@code SLUICE_INGEST_MAX_INLINE_SIZE})
 * @param maxRecords most records one batch takes; default {@value #DEFAULT_MAX_RECORDS}
 *     (env {@code SLUICE_INGEST_MAX_RECORDS}); evaluation keys are capped at 1,000
 * @param uploadUrlTtl how long an upload URL works; default 8h (env {@code SLUICE_INGEST_UPLOAD_URL_TTL}); a
 *     fresh one is issued on {@code POST .../batch-files/{batch}/upload-url}
 * @param abandonUploadAfter how long after its upload link expired a batch still without its file fails with
 *     {@code upload_expired}; default {@value #DEFAULT_ABANDON_UPLOAD_AFTER}
 *     (env {@code SLUICE_INGEST_ABANDON_UPLOAD_AFTER})
 * @param downloadUrlTtl how long a result download URL works, never past the result's retention; default
 *     1h (env {@code SLUICE_INGEST_DOWNLOAD_URL_TTL})
 * @param maxUploadsPerAccount files one account may be uploading at once on one node (429 beyond); default
 *     {@value #DEFAULT_MAX_UPLOADS_PER_ACCOUNT} (env {@code SLUICE_INGEST_MAX_UPLOADS_PER_ACCOUNT})
 */
@ConfigurationProperties("sluice.ingest")
public record IngestProperties(
        @DefaultValue("50MB") DataSize maxFileSize,
        @DefaultValue("10MB") DataSize maxInlineSize,
        @DefaultValue("" + DEFAULT_MAX_RECORDS) long maxRecords,
        @DefaultValue("8h") Duration uploadUrlTtl,
        @DefaultValue("1h") Duration downloadUrlTtl,
        @DefaultValue(DEFAULT_ABANDON_UPLOAD_AFTER) Duration abandonUploadAfter,
        @DefaultValue("" + DEFAULT_MAX_UPLOADS_PER_ACCOUNT) int maxUploadsPerAccount) {

    public static final long DEFAULT_MAX_RECORDS = 5_000_000;
    /** Three days: a client gone over a weekend can still ask for a fresh link. */
    public static final String DEFAULT_ABANDON_UPLOAD_AFTER = "72h";
    public static final int DEFAULT_MAX_UPLOADS_PER_ACCOUNT = 4;
}
