package dev.kclboot.core.fetch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Polling retrieval: each request is one {@link PollingFetcher#read()}, started after the fetcher's pacing (or the
 * given backoff) has passed on the timer, so a waiting shard holds no thread; where the call itself runs is the
 * fetcher's {@link KinesisReads} (a pool of blocking calls, or the async client).
 */
public final class PollingShardReader implements ShardReader {

    private final PollingFetcher fetcher;

    private final ScheduledExecutorService timer;

    private volatile boolean closed;

    public PollingShardReader(PollingFetcher fetcher, ScheduledExecutorService timer) {
        this.fetcher = fetcher;
        this.timer = timer;
    }

    @Override
    public void request(@Nullable Duration delay, Consumer<FetchOutcome> callback) {
        Duration wait = delay != null ? delay : fetcher.delayBeforeNextRead();
        Runnable call = () -> {
            if (closed) {
                return;
            }
            CompletableFuture<FetchOutcome> read;
            try {
                read = fetcher.read();
            }
            catch (RuntimeException ex) {
                read = CompletableFuture.failedFuture(ex);
            }
            read.whenComplete((outcome, failure) -> {
                Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
                        ? failure.getCause() : failure;
                if (closed || cause instanceof RejectedExecutionException) {
                    return; // Closed, or the worker is stopping.
                }
                callback.accept(cause == null ? outcome : new FetchOutcome.Failed("kinesis:GetRecords",
                        cause instanceof Exception ex ? ex : new IllegalStateException(cause)));
            });
        };
        try {
            if (wait.isZero() || wait.isNegative()) {
                call.run();
            }
            else {
                timer.schedule(call, wait.toNanos(), TimeUnit.NANOSECONDS);
            }
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
