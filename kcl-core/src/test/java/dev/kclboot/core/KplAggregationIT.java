package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import dev.kclboot.test.kpl.KplAggregate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EmbeddedKinesis
class KplAggregationIT {

    @Test
    void aggregatedRecordsReachTheProcessorAsUserRecordsAndAMidAggregateCheckpointResumesAtTheNextOne(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        KplAggregate aggregate = KplAggregate.builder().add("alpha", "u0").add("beta", "u1").add("gamma", "u2")
                .add("delta", "u3").add("epsilon", "u4").build();
        String aggregateSequence = local.kinesisClient().putRecord(request -> request.streamName(stream)
                .partitionKey(aggregate.partitionKey()).data(SdkBytes.fromByteArray(aggregate.bytes())))
                .sequenceNumber();
        local.kinesisClient().putRecord(request -> request.streamName(stream).partitionKey("plain")
                .data(SdkBytes.fromString("plain-1", StandardCharsets.UTF_8)));

        Queue<KinesisRecord> first = new ConcurrentLinkedQueue<>();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", name -> new CheckpointAtThirdUserRecord(first),
                    builder -> {
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> first.size() >= 6);
            worker.shutdown(Duration.ofSeconds(10));
        }
        assertThat(first).extracting(KinesisRecord::partitionKey)
                .containsExactly("alpha", "beta", "gamma", "delta", "epsilon", "plain");
        assertThat(List.copyOf(first).subList(0, 5)).allSatisfy(record -> {
            assertThat(record.aggregated()).isTrue();
            assertThat(record.sequenceNumber()).isEqualTo(aggregateSequence);
        });
        assertThat(first).extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L, 0L);

        Queue<KinesisRecord> second = new ConcurrentLinkedQueue<>();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-b", name -> new Collecting(second), builder -> {
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> second.size() >= 3);
            await().during(Duration.ofMillis(500)).until(() -> second.size() == 3);
        }
        assertThat(second).extracting(record -> new String(record.dataBytes(), StandardCharsets.UTF_8))
                .containsExactly("u3", "u4", "plain-1");
    }

    /** Checkpoints at the third user record of the aggregate, and never again. */
    private static final class CheckpointAtThirdUserRecord extends Collecting {

        CheckpointAtThirdUserRecord(Queue<KinesisRecord> sink) {
            super(sink);
        }

        @Override
        public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
            super.processRecords(records, checkpointer);
            records.stream().filter(record -> record.aggregated() && record.subSequenceNumber() == 2).findFirst()
                    .ifPresent(record -> checkpointer.checkpoint(record.sequenceNumber(), record.subSequenceNumber()));
        }
    }

    private static class Collecting implements RecordProcessor {

        private final Queue<KinesisRecord> sink;

        Collecting(Queue<KinesisRecord> sink) {
            this.sink = sink;
        }

        @Override
        public void initialize(String shardId) {
        }

        @Override
        public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
            sink.addAll(records);
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        }
    }
}
