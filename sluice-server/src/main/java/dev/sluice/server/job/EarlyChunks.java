package dev.sluice.server.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Chunks processed on the loading node while their batch still loads ({@link ChunkProcessor#processWhileLoading}):
 * a load reads and cuts on one core, and a chunk it has cut is processed meanwhile on another, instead of every
 * chunk waiting for the load's end. A chunk is taken only when one of the node's threads for it is free, so the
 * load never waits for chunk work; the chunks not taken, or declined, are processed as usual once the batch is
 * loaded. Nothing is recorded until the load ends: it then adopts the parts written with the final columns
 * ({@link Load#adopted}), in the transaction that records the chunks.
 */
@Component
class EarlyChunks implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EarlyChunks.class);

    /** What processes one chunk: its counters, or empty when the chunk is left to be processed as usual. */
    @FunctionalInterface
    interface Work {
        Optional<RecordCounts> run() throws Exception;
    }

    private final ExecutorService executor;
    private final Semaphore free;

    EarlyChunks(JobProperties properties) {
        int threads = properties.effectiveEarlyChunkThreads();
        this.executor = threads == 0 ? null : Executors.newFixedThreadPool(threads,
                WorkerPriority.threads("sluice-early-", true, properties.workerNice()));
        this.free = new Semaphore(threads);
    }

    /** The early chunks of one load. */
    Load load() {
        return new Load();
    }

    @Override
    public void destroy() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** A chunk processed early, with the layout it was processed with. */
    private record Done(List<String> columns, int keyColumn, RecordCounts counts) {
    }

    /** The early chunks of one load; used by the loading thread only, but for {@link Work} run elsewhere. */
    final class Load {

        private final Map<Integer, Done> done = new ConcurrentHashMap<>();
        private final List<Future<?>> running = new ArrayList<>();

        /**
         * Runs {@code work} for chunk {@code index}, cut with {@code columns} and {@code keyColumn}, if a thread is
         * free; answers whether it was taken.
         */
        boolean offer(int index, List<String> columns, int keyColumn, Work work) {
            if (executor == null || !free.tryAcquire()) {
                return false;
            }
            try {
                running.add(executor.submit(() -> {
                    try {
                        work.run().ifPresent(counts -> done.put(index, new Done(columns, keyColumn, counts)));
                    } catch (Exception | Error e) {
                        // the chunk is processed as usual; if that fails too, its task says why
                        log.debug("early chunk failed, left to its task: chunk={} cause={}", index, e.toString());
                    } finally {
                        free.release();
                    }
                }));
            } catch (RuntimeException e) {
                free.release();
                return false;
            }
            return true;
        }

        /** Waits for the chunks taken to be processed (each one, whether it succeeded or not). */
        void await() throws InterruptedException {
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    // logged by the work itself, or cancelled as the node stops: the chunk is not adopted
                }
            }
            running.clear();
        }

        /**
         * The counters of the chunks processed with the load's final columns and key column, by chunk index,
         * after {@link #await}; a chunk processed with fewer columns (a wider record came later) is left out.
         */
        Map<Integer, RecordCounts> adopted(List<String> columns, int keyColumn) {
            Map<Integer, RecordCounts> adopted = new java.util.HashMap<>();
            done.forEach((index, chunk) -> {
                if (chunk.keyColumn() == keyColumn && chunk.columns().equals(columns)) {
                    adopted.put(index, chunk.counts());
                }
            });
            return adopted;
        }
    }
}
