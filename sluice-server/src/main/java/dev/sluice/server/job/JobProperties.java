package dev.sluice.server.job;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How jobs are processed.
 *
 * @param chunkSize records per chunk, the unit of work and of retry; default {@value #DEFAULT_CHUNK_SIZE}
 *     (env {@code SLUICE_JOB_CHUNK_SIZE})
 * @param workerThreads tasks this node runs at once; 0 means one per core, at least 2 (env {@code SLUICE_JOB_WORKER_THREADS})
 * @param pollInterval how often idle workers look for due tasks; default 500ms (env {@code SLUICE_JOB_POLL_INTERVAL})
 * @param heartbeatInterval how often a worker marks its running tasks alive; default 5s
 *     (env {@code SLUICE_JOB_HEARTBEAT_INTERVAL})
 * @param missedHeartbeats heartbeats a task may miss before another worker takes it over; default
 *     {@value #DEFAULT_MISSED_HEARTBEATS} (env {@code SLUICE_JOB_MISSED_HEARTBEATS})
 * @param maxAttempts attempts of a failing task before its batch is marked failed; default
 *     {@value #DEFAULT_MAX_ATTEMPTS} (env {@code SLUICE_JOB_MAX_ATTEMPTS})
 * @param retention how long results are kept after a batch completes; default 72h (env {@code SLUICE_JOB_RETENTION})
 * @param purgeInterval how long the retention purge waits between two runs (it runs on one node at a time);
 *     default {@value #DEFAULT_PURGE_INTERVAL} (env {@code SLUICE_JOB_PURGE_INTERVAL})
 * @param earlyChunkThreads threads of this node that process chunks of a batch while it is still loading, beside
 *     the load; -1 (the default) means half the cores, at least 1; 0 turns it off
 *     (env {@code SLUICE_JOB_EARLY_CHUNK_THREADS})
 * @param workerNice the nice value (1 to 19) of the threads that process jobs, so that requests are answered
 *     before job work when both want a core ({@link WorkerPriority}; Linux); default {@value #DEFAULT_WORKER_NICE},
 *     0 keeps the priority of the server (env {@code SLUICE_JOB_WORKER_NICE})
 */
@ConfigurationProperties("sluice.job")
public record JobProperties(
        @DefaultValue("" + DEFAULT_CHUNK_SIZE) int chunkSize,
        @DefaultValue("0") int workerThreads,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("" + DEFAULT_MISSED_HEARTBEATS) int missedHeartbeats,
        @DefaultValue("" + DEFAULT_MAX_ATTEMPTS) int maxAttempts,
        @DefaultValue("72h") Duration retention,
        @DefaultValue(DEFAULT_PURGE_INTERVAL) Duration purgeInterval,
        @DefaultValue("-1") int earlyChunkThreads,
        @DefaultValue("" + DEFAULT_WORKER_NICE) int workerNice) {

    /**
     * 20,000 records: per chunk the job pays a few database statements, files and a scheduled task, and a bigger
     * chunk also finds more of a list's repeated addresses inside itself instead of patching them in at the assembly.
     * On the bench's 1M-row list 20,000 ran a warm job about a sixth faster than 10,000, and 40,000 slower again
     * (each chunk's records are held while it runs: more garbage, and peak RSS near 500 MB). A chunk is also the unit
     * of retry and of progress.
     */
    public static final int DEFAULT_CHUNK_SIZE = 20_000;
    public static final int DEFAULT_MISSED_HEARTBEATS = 6;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final String DEFAULT_PURGE_INTERVAL = "10m";
    public static final int DEFAULT_WORKER_NICE = 10;

    public JobProperties {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("sluice.job.chunk-size must be at least 1, was " + chunkSize);
        }
        if (missedHeartbeats < 4) {
            throw new IllegalArgumentException("sluice.job.missed-heartbeats must be at least 4, was " + missedHeartbeats);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("sluice.job.max-attempts must be at least 1, was " + maxAttempts);
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("sluice.job.purge-interval must be positive, was " + purgeInterval);
        }
        if (workerNice < 0 || workerNice > 19) {
            throw new IllegalArgumentException("sluice.job.worker-nice must be from 0 to 19, was " + workerNice);
        }
    }

    /** Threads processing chunks of loading batches: {@code earlyChunkThreads}, or half the cores when -1. */
    public int effectiveEarlyChunkThreads() {
        return earlyChunkThreads >= 0 ? earlyChunkThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Worker threads to run: the setting, or one per core (at least 2). */
    public int effectiveWorkerThreads() {
        return workerThreads > 0 ? workerThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }
}
