package dev.kclboot.core.fetch;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Reads one shard for one consumer, one batch per request: polling GetRecords ({@link PollingShardReader}) or a
 * push-based retrieval such as enhanced fan-out. The consumer keeps at most one request outstanding; the reader
 * answers each with one {@link FetchOutcome}, on any thread, and holds no thread while it waits.
 */
public interface ShardReader extends AutoCloseable {

    /**
     * Asks for the next batch.
     * @param delay how long to wait first (a backoff), or null for the reader's own pacing
     * @param callback given the outcome once
     */
    void request(@Nullable Duration delay, Consumer<FetchOutcome> callback);

    /** Stops reading: a request not answered yet is dropped. */
    @Override
    void close();
}
