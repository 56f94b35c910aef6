package dev.kclboot.core.fetch;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Polling retrieval: each request is one {@link PollingFetcher#read()} on the fetching executor, after the fetcher's
 * pacing (or the given backoff) has passed on the timer, so a waiting shard holds no thread.
 */
public final class PollingShardReader implements ShardReader {

    private final PollingFetcher fetcher;

    private final Executor fetching;

    private final ScheduledExecutorService timer;

    private volatile boolean closed;

    public PollingShardReader(PollingFetcher fetcher, Executor fetching, ScheduledExecutorService timer) {
        this.fetcher = fetcher;
        this.fetching = fetching;
        this.timer = timer;
    }

    @Override
    public void request(@Nullable Duration delay, Consumer<FetchOutcome> callback) {
        Duration wait = delay != null ? delay : fetcher.delayBeforeNextRead();
        Runnable call = () -> {
            if (closed) {
                return;
            }
            FetchOutcome outcome;
            try {
                outcome = fetcher.read();
            }
            catch (RuntimeException ex) {
                outcome = new FetchOutcome.Failed("kinesis:GetRecords", ex);
            }
            if (!closed) {
                callback.accept(outcome);
            }
        };
        try {
            if (wait.isZero() || wait.isNegative()) {
                fetching.execute(call);
            }
            else {
                timer.schedule(() -> execute(call), wait.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        catch (RejectedExecutionException ex) {
            // The worker is stopping.
        }
    }

    private void execute(Runnable call) {
        try {
            fetching.execute(call);
        }
        catch (RejectedExecutionException ex) {
            // The worker is stopping.
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
