package dev.kclboot.core.fetch;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

/**
 * Reads at most one batch ahead of the processor: while a batch is processed, the next GetRecords call runs on a
 * shared fetch thread, so a processor that takes as long as a read does not halve the shard's throughput. Bounded
 * to one pending batch per shard (two in memory with the one being processed). A batch read ahead and never
 * delivered (shutdown, lost lease) is simply dropped: nothing was checkpointed for it.
 * Not thread-safe: one consumer thread calls it; the pending read only ever runs while that thread waits for it or
 * processes the previous batch, never beside another call.
 */
public class PrefetchingFetcher implements AutoCloseable {

    private final PollingFetcher fetcher;

    private final ExecutorService executor;

    private @Nullable Future<FetchResult> pending;

    public PrefetchingFetcher(PollingFetcher fetcher, ExecutorService executor) {
        this.fetcher = fetcher;
        this.executor = executor;
    }

    /** The batch read ahead, else a read now (paced as {@link PollingFetcher#fetch()} says). */
    public FetchResult next() throws InterruptedException {
        Future<FetchResult> ahead = pending;
        pending = null;
        if (ahead == null) {
            return fetcher.fetch();
        }
        try {
            return ahead.get();
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Starts reading the next batch in the background. */
    public void readAhead() {
        if (pending == null) {
            pending = executor.submit(fetcher::fetch);
        }
    }

    /** Cancels a read ahead that is still running, and drops its batch. */
    @Override
    public void close() {
        Future<FetchResult> ahead = pending;
        pending = null;
        if (ahead != null) {
            ahead.cancel(true);
        }
    }
}
