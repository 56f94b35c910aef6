package dev.kclboot.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shards Kinesis no longer has end with TERMINATE: a closed shard whose records expired (Kinesis answers
 * ResourceNotFound) lets its children proceed, and a deleted stream ends every consumer, once, without a retake loop.
 */
@EmbeddedKinesis
class ShardsThatAreGoneIT {

    /** Answers ResourceNotFound for every GetShardIterator of one shard, as Kinesis does once its records expired. */
    private static final class Expired implements ExecutionInterceptor {

        private final String shardId;

        private final AtomicInteger answered = new AtomicInteger();

        Expired(String shardId) {
            this.shardId = shardId;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetShardIteratorRequest request && request.shardId().equals(shardId)) {
                answered.incrementAndGet();
                throw ResourceNotFoundException.builder().message("Shard " + shardId + " does not exist (injected)")
                        .statusCode(400).build();
            }
        }
    }

    @Test
    void aClosedParentWhoseRecordsExpiredEndsAndItsChildrenProceed(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        List<String> lost = TestStreams.put(local, stream, "old", 20, 4);
        Shard parent = local.kinesisClient().listShards(request -> request.streamName(stream)).shards().get(0);
        BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
        local.kinesisClient().splitShard(request -> request.streamName(stream).shardToSplit(parent.shardId())
                .newStartingHashKey(start.add(end).shiftRight(1).toString()));
        local.awaitStreamActive(stream, Duration.ofSeconds(30));
        List<String> written = TestStreams.put(local, stream, "new", 40, 8);
        Expired expired = new Expired(parent.shardId());
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        try (KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(expired)).build();
                WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.kinesisClient(kinesis));
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> recorder.payloads.size() == written.size());
            assertThat(List.copyOf(recorder.payloads)).containsExactlyInAnyOrderElementsOf(written)
                    .doesNotContainAnyElementsOf(lost);
            assertThat(recorder.events).containsOnlyOnce("TERMINATE " + parent.shardId(),
                    "initialize " + parent.shardId());
            assertThat(expired.answered.get()).as("the parent is asked for once, not retaken in a loop").isEqualTo(1);
            assertThat(new DynamoDbLeaseTable(local.dynamoDbClient(), application).getLease(parent.shardId())
                    .map(lease -> lease.checkpoint()))
                    .hasValueSatisfying(checkpoint -> assertThat(checkpoint).isEqualTo(ExtendedSequenceNumber.SHARD_END));
        }
    }

    @Test
    void aDeletedStreamEndsEveryConsumerOnceWithTerminate(LocalKinesis local) {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("app");
        List<String> written = new ArrayList<>(TestStreams.put(local, stream, "a", 20, 4));
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        AtomicInteger reads = new AtomicInteger();
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetRecordsRequest || context.request() instanceof GetShardIteratorRequest) {
                    reads.incrementAndGet();
                }
            }
        };
        try (KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(counting)).build();
                WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a",
                    name -> new RecordingProcessor(recorder, true), builder -> builder.kinesisClient(kinesis));
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());
            local.kinesisClient().deleteStream(request -> request.streamName(stream));

            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.stream()
                    .filter(event -> event.startsWith("TERMINATE")).count() == 2);
            assertThat(worker.deletedStreams()).containsKey(stream);
            assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
            int readsAfterEnd = reads.get();
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> worker.leases().isEmpty());
            assertThat(reads.get()).as("no shard is read again once its stream is gone").isEqualTo(readsAfterEnd);
            assertThat(recorder.events).filteredOn(event -> event.startsWith("initialize")).hasSize(2);
            assertThat(recorder.events).filteredOn(event -> event.startsWith("TERMINATE")).hasSize(2);
            assertThat(worker.shardFailures()).isEmpty();
        }
    }
}
