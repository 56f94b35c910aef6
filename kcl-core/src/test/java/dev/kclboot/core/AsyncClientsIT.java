package dev.kclboot.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers given async clients ({@code kinesisAsyncClient}, {@code dynamoDbAsyncClient}) send every GetRecords and
 * every renewal through them, none through the blocking clients, and keep the engine's guarantees over a stream's
 * lifetime: two generations of splits with cleanups, a second worker joining and the first leaving gracefully, every
 * record delivered exactly once and in write order per key, no processor shut down as ZOMBIE.
 */
@EmbeddedKinesis
class AsyncClientsIT {

    @Test
    void asyncClientsCarryReadsAndRenewalsThroughReshardingJoinAndLeave(LocalKinesis local) {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> written = new ArrayList<>();
        OperationCounter blocking = new OperationCounter();
        OperationCounter async = new OperationCounter();
        try (KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(blocking)).build();
                DynamoDbClient dynamoDb = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                        .overrideConfiguration(o -> o.addExecutionInterceptor(blocking)).build();
                KinesisAsyncClient kinesisAsync = local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                        .overrideConfiguration(o -> o.addExecutionInterceptor(async)).build();
                DynamoDbAsyncClient dynamoDbAsync = local.configure(DynamoDbAsyncClient.builder(),
                        local.dynamoDbEndpoint()).httpClientBuilder(NettyNioAsyncHttpClient.builder())
                        .overrideConfiguration(o -> o.addExecutionInterceptor(async)).build();
                WorkerFixture fixture = new WorkerFixture(local)) {
            java.util.function.Consumer<Worker.Builder> clients = builder -> builder.kinesisClient(kinesis)
                    .dynamoDbClient(dynamoDb).kinesisAsyncClient(kinesisAsync).dynamoDbAsyncClient(dynamoDbAsync)
                    .shardSyncInterval(Duration.ofMillis(500)).leaseCleanupInterval(Duration.ofMillis(500));
            Worker first = fixture.start(application, stream, "worker-a",
                    name -> new RecordingProcessor(recorder, true), clients);
            written.addAll(TestStreams.put(local, stream, "g0", 60, 6));
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());

            Worker second = fixture.start(application, stream, "worker-b",
                    name -> new RecordingProcessor(recorder, true), clients);
            split(local, stream, TestStreams.openShards(local, stream).get(0));
            written.addAll(TestStreams.put(local, stream, "g1", 60, 6));
            await().atMost(Duration.ofSeconds(60)).until(() -> recorder.payloads.size() >= written.size());
            await().atMost(Duration.ofSeconds(60)).until(() -> first.leases().size() > 0 && second.leases().size() > 0);

            split(local, stream, TestStreams.openShards(local, stream).get(0));
            written.addAll(TestStreams.put(local, stream, "g2", 60, 6));
            await().atMost(Duration.ofSeconds(60)).until(() -> recorder.payloads.size() >= written.size());
            // Long enough for several renewals (failover 3 s: one a second) and shard syncs with cleanups.
            await().pollDelay(Duration.ofSeconds(4)).until(() -> true);

            assertThat(first.shutdown(Duration.ofSeconds(10))).isTrue();
            int open = TestStreams.openShards(local, stream).size();
            await().atMost(Duration.ofSeconds(30)).until(() -> second.leases().size() == open);
            written.addAll(TestStreams.put(local, stream, "g3", 60, 6));
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> recorder.payloads.size() == written.size());
        }

        Map<String, Long> deliveries = recorder.payloads.stream()
                .collect(Collectors.groupingBy(payload -> payload, Collectors.counting()));
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(deliveries.values()).as("duplicates").allMatch(count -> count == 1);
        assertThat(recorder.payloads).hasSize(written.size());
        TestStreams.assertPerKeyOrder(List.copyOf(recorder.payloads), written);
        assertThat(recorder.events).noneMatch(event -> event.startsWith("ZOMBIE"));

        assertThat(blocking.count("GetRecords")).as("GetRecords through the blocking client").isZero();
        assertThat(blocking.count("GetShardIterator")).as("GetShardIterator through the blocking client").isZero();
        assertThat(blocking.count("renewal")).as("renewals through the blocking client").isZero();
        assertThat(async.count("GetRecords")).as("GetRecords through the async client").isGreaterThan(20);
        assertThat(async.count("renewal")).as("renewals through the async client").isGreaterThan(10);
        assertThat(async.count("PutItem")).as("the shard sync's lease creations through the async client")
                .isGreaterThan(0);
        assertThat(blocking.count("UpdateItem")).as("checkpoints, releases: the blocking client").isGreaterThan(0);
        assertThat(blocking.count("PutItem")).as("children created by a parent at its end, on its consumer's thread")
                .isGreaterThan(0);
    }

    /** Counts requests by operation; an UpdateItem that only adds to the counter also counts as a renewal. */
    private static final class OperationCounter implements ExecutionInterceptor {

        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            counts.computeIfAbsent(operation, key -> new AtomicLong()).incrementAndGet();
            if (context.request() instanceof UpdateItemRequest update
                    && "ADD #counter :one".equals(update.updateExpression())) {
                counts.computeIfAbsent("renewal", key -> new AtomicLong()).incrementAndGet();
            }
        }

        long count(String operation) {
            AtomicLong count = counts.get(operation);
            return count == null ? 0 : count.get();
        }
    }

    private static void split(LocalKinesis local, String stream, Shard shard) {
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        String middle = start.add(end).shiftRight(1).toString();
        local.kinesisClient().splitShard(request -> request.streamName(stream).shardToSplit(shard.shardId())
                .newStartingHashKey(middle));
        local.awaitStreamActive(stream, Duration.ofSeconds(30));
    }
}
