package dev.kclboot.core.fetch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;

/**
 * How a {@link PollingFetcher}'s calls reach Kinesis. {@link #blocking} runs the SDK's blocking client on a pool: a
 * thread per call in flight, so hundreds of caught-up shards at 80 ms a call keep a dozen threads busy.
 * {@link #async} sends through the async client, which holds no thread while a call is in flight, and continues on
 * the given executor, never on the HTTP client's event loop (converting a batch, KPL de-aggregation included, is
 * work). Either way a call fails as its future; the failure may be wrapped in a {@code CompletionException}.
 */
public interface KinesisReads {

    CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request);

    CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request);

    /** Blocking calls, each run on {@code pool} ({@code Runnable::run} runs them on the caller). */
    static KinesisReads blocking(KinesisClient client, Executor pool) {
        return new KinesisReads() {

            @Override
            public CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
                return run(() -> client.getShardIterator(request), pool);
            }

            @Override
            public CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
                return run(() -> client.getRecords(request), pool);
            }
        };
    }

    /** Non-blocking calls through {@code client}, continued on {@code continuation}. */
    static KinesisReads async(KinesisAsyncClient client, Executor continuation) {
        return new KinesisReads() {

            @Override
            public CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
                return continueOn(run(() -> client.getShardIterator(request), Runnable::run)
                        .thenCompose(call -> call), continuation);
            }

            @Override
            public CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
                return continueOn(run(() -> client.getRecords(request), Runnable::run).thenCompose(call -> call),
                        continuation);
            }
        };
    }

    private static <T> CompletableFuture<T> run(Supplier<T> call, Executor executor) {
        try {
            return CompletableFuture.supplyAsync(call, executor);
        }
        catch (RejectedExecutionException ex) {
            return CompletableFuture.failedFuture(ex); // The worker is stopping.
        }
    }

    /** The same outcome, completed on {@code executor} (or not at all when it refuses: the worker is stopping). */
    private static <T> CompletableFuture<T> continueOn(CompletableFuture<T> call, Executor executor) {
        CompletableFuture<T> continued = new CompletableFuture<>();
        call.whenComplete((value, failure) -> {
            try {
                executor.execute(() -> {
                    if (failure == null) {
                        continued.complete(value);
                    }
                    else {
                        continued.completeExceptionally(failure);
                    }
                });
            }
            catch (RejectedExecutionException ex) {
                continued.completeExceptionally(ex);
            }
        });
        return continued;
    }
}
