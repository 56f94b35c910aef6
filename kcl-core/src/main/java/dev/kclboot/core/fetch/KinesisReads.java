package dev.kclboot.core.fetch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
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
     * once), a waiting call sent from {@code starter} (a thread that only sends: the worker's timer, which sends the
     * paced reads too), continued on {@code continuation}.
     */
    static KinesisReads async(KinesisAsyncClient client, int maxInFlight, Executor starter, Executor continuation) {
        InFlightLimit limit = new InFlightLimit(maxInFlight, starter);
        @Nullable AwsRequestOverrideConfiguration timeouts = hasOwnTimeouts(client) ? null : defaultReadTimeouts();
        return new KinesisReads() {

            @Override
            public CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
                GetShardIteratorRequest bounded = withTimeouts(request, timeouts);
                return continueOn(limit.submit(() -> client.getShardIterator(bounded)), response -> true,
                        continuation);
            }

            @Override
            public CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
                GetRecordsRequest bounded = withTimeouts(request, timeouts);
                // An empty batch (a caught-up shard, most reads at scale) has nothing to convert: it completes where
                // the client completed it, which only wakes the consumer; records are converted on the executor.
                return continueOn(limit.submit(() -> client.getRecords(bounded)),
                        response -> !response.records().isEmpty(), continuation);
            }
        };
    }

    /**
     * Timeouts for a polling read through an async client that sets none. The async Kinesis client also carries
     * SubscribeToShard streams (five minutes each), so it cannot have a client-wide call timeout; without one a
     * stalled HTTP/2 stream would hold one of the few in-flight permits, and with them every shard's reads, for as
     * long as the connection stays up. 30 s per call is the KCL's {@code PollingConfig.kinesisRequestTimeout}; 10 s per
     * attempt lets the SDK's retries try again within it.
     */
    private static AwsRequestOverrideConfiguration defaultReadTimeouts() {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30))
                .apiCallAttemptTimeout(Duration.ofSeconds(10)).build();
    }

    /** The request with {@code timeouts}, unless there are none to add or it carries its own override. */
    @SuppressWarnings("unchecked") // toBuilder() of a request builds a request of the same type.
    private static <R extends AwsRequest> R withTimeouts(R request, @Nullable AwsRequestOverrideConfiguration timeouts) {
        if (timeouts == null || request.overrideConfiguration().isPresent()) {
            return request;
        }
        return (R) request.toBuilder().overrideConfiguration(timeouts).build();
    }

    /** Whether the application configured call or attempt timeouts on its client (they are then used as they are). */
    private static boolean hasOwnTimeouts(KinesisAsyncClient client) {
        try {
            ClientOverrideConfiguration configuration = client.serviceClientConfiguration().overrideConfiguration();
            return configuration.apiCallTimeout().isPresent() || configuration.apiCallAttemptTimeout().isPresent();
        }
        catch (UnsupportedOperationException ex) {
            return false; // A client (a test double, say) that does not describe its configuration.
        }
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
