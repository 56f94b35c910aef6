package dev.kclboot.core.fetch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
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

    /**
     * Non-blocking calls through {@code client}, at most {@code maxInFlight} at once (the others wait without a
     * thread: the same bound as the blocking pool, so a worker that takes 200 leases does not send 200 calls at
     * once), continued on {@code continuation}.
     */
    static KinesisReads async(KinesisAsyncClient client, int maxInFlight, Executor continuation) {
        InFlightLimit limit = new InFlightLimit(maxInFlight);
        return new KinesisReads() {

            @Override
            public CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
                return continueOn(limit.submit(() -> client.getShardIterator(request)), response -> true,
                        continuation);
            }

            @Override
            public CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
                // An empty batch (a caught-up shard, most reads at scale) has nothing to convert: it completes where
                // the client completed it, which only wakes the consumer; records are converted on the executor.
                return continueOn(limit.submit(() -> client.getRecords(request)),
                        response -> !response.records().isEmpty(), continuation);
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

    /**
     * The same outcome, completed on {@code executor} unless it is a value that {@code hop} says needs no work
     * (a refused hop fails it with the {@code RejectedExecutionException}: the worker is stopping).
     */
    private static <T> CompletableFuture<T> continueOn(CompletableFuture<T> call, Predicate<T> hop,
            Executor executor) {
        CompletableFuture<T> continued = new CompletableFuture<>();
        call.whenComplete((value, failure) -> {
            if (failure == null && !hop.test(value)) {
                continued.complete(value);
                return;
            }
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
