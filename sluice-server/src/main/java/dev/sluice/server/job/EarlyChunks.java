package dev.sluice.server.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Chunks processed on the loading node while their batch still loads ({@link ChunkProcessor#processWhileLoading}):
 * a load reads and cuts on one core, and a chunk it has cut is processed meanwhile on another, instead of every
 * chunk waiting for the load's end. A chunk cut while one of the node's threads for it is free is taken, and the load
 * waits for it when it ends. A chunk cut while every thread is busy waits for one, as long as no more than one chunk
 * per thread waits already: a thread that finishes a chunk takes the next at once instead of idling until the load
 * cuts one while it is free (taking only those, it processed a quarter to two fifths of a million-row load's chunks
 * on two cores; now about two fifths to three fifths). The load never
 * waits for a chunk to start: a chunk cut while the queue is full, one still waiting when the load ends (it is
 * dropped then), and one declined are processed as usual once the batch is loaded. Nothing is recorded until
 * the load ends: it then adopts the parts written with the final columns ({@link Load#adopted}), in the transaction
 * that records the chunks.
 */
@Component
class EarlyChunks implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EarlyChunks.class);
    /** A chunk offered while a thread was free: the load waits for it. */
    private static final int TAKEN = 0;
    /** A chunk offered while every thread was busy: it waits until a thread starts it or its load ends and drops it. */
    private static final int WAITING = 1;
    private static final int STARTED = 2;
    private static final int DROPPED = 3;

    /** What processes one chunk: its counters, or empty when the chunk is left to be processed as usual. */
    @FunctionalInterface
    interface Work {
        Optional<RecordCounts> run() throws Exception;
    }

    /** Null when the node processes no chunk during loads. */
    private final ThreadPoolExecutor executor;
    /** The node's threads for early chunks; also the most chunks waiting for one, over every load of the node. */
    private final int threads;

    EarlyChunks(JobProperties properties) {
        int threads = properties.effectiveEarlyChunkThreads();
        this.executor = threads == 0 ? null : new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), WorkerPriority.threads("sluice-early-", true, properties.workerNice()));
        this.threads = threads;
    }

    /** The early chunks of one load. */
    Load load() {
        return new Load();
    }

    @Override
    public void destroy() {
        if (executor != null) {
            // a chunk never started ends cancelled, so that a load waiting for it goes on
            executor.shutdownNow().forEach(chunk -> ((Future<?>) chunk).cancel(false));
        }
    }

    /** A chunk processed early, with the layout it was processed with. */
    private record Done(List<String> columns, int keyColumn, RecordCounts counts) {
    }

    /** The early chunks of one load; used by the loading thread only, but for {@link Work} run elsewhere. */
    final class Load {

        private final Map<Integer, Done> done = new ConcurrentHashMap<>();
        private final List<Taken> taken = new ArrayList<>();

        /**
         * Runs {@code work} for chunk {@code index}, cut with {@code columns} and {@code keyColumn}: at once when a
         * thread is free, else once the chunks before it are done, unless the load ends first; answers false,
         * leaving the chunk to its task, when as many chunks wait already as the node has threads for them.
         */
        boolean offer(int index, List<String> columns, int keyColumn, Work work) {
            if (executor == null) {
                return false;
            }
            // approximate: a thread between two chunks counts as neither, and the load may then wait for one chunk
            // more than it had to, or drop one that was about to start; either way the chunk is processed once
            int waiting = executor.getQueue().size();
            int busy = executor.getActiveCount() + waiting;
            if (busy >= threads && waiting >= threads) {
                return false;
            }
            AtomicInteger state = new AtomicInteger(busy < threads ? TAKEN : WAITING);
            try {
                taken.add(new Taken(state, executor.submit(() -> {
                    if (state.get() != TAKEN && !state.compareAndSet(WAITING, STARTED)) {
                        return;
                    }
                    try {
                        work.run().ifPresent(counts -> done.put(index, new Done(columns, keyColumn, counts)));
                    } catch (Exception | Error e) {
                        // the chunk is processed as usual; if that fails too, its task says why
                        log.debug("early chunk failed, left to its task: chunk={} cause={}", index, e.toString());
                    }
                })));
            } catch (RuntimeException e) {
                return false;
            }
            return true;
        }

        /**
         * Drops the chunks still waiting for a thread, left to their tasks (the node's task workers take them
         * sooner than its few threads for early chunks would), and waits for the others, taken or started, to be
         * processed (each one, whether it succeeded or not).
         */
        void await() throws InterruptedException {
            for (Taken chunk : taken) {
                if (chunk.state().compareAndSet(WAITING, DROPPED)) {
                    // out of the queue at once, so that it no longer counts as waiting
                    executor.remove((Runnable) chunk.future());
                }
            }
            for (Taken chunk : taken) {
                if (chunk.state().get() != DROPPED) {
                    try {
                        chunk.future().get();
                    } catch (ExecutionException | CancellationException e) {
                        // logged by the work itself, or cancelled as the node stops: the chunk is not adopted
                    }
                }
            }
            taken.clear();
        }

        /** A chunk handed to the executor: {@link #TAKEN}, or {@link #WAITING} until started or dropped. */
        private record Taken(AtomicInteger state, Future<?> future) {
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
