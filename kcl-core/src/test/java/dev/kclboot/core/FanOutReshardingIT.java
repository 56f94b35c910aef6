package dev.kclboot.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A split and then a merge under enhanced fan-out: each parent ends with SHARD_END once fully read, its children
 * start only then, every record arrives exactly once and in write order per key. kinesis-local never sends the
 * ChildShards event, so the parents' ends come from the shard end probe, with the children GetRecords names; the
 * same probe ends the last shard when the stream is deleted.
 */
@EmbeddedKinesis
class FanOutReshardingIT {

    private final List<String> streams = new ArrayList<>();

    @AfterEach
    void deleteStreams(LocalKinesis local) {
        streams.forEach(stream -> TestStreams.delete(local, stream));
    }

    private String created(String stream) {
        streams.add(stream);
        return stream;
    }

    @Test
    void aSplitAndAMergeEndTheirParentsAndStartTheirChildrenInOrder(LocalKinesis local) {
        String stream = created(local.createStream(1));
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> written = new ArrayList<>();
        try (KinesisAsyncClient async = FanOutClients.http2(local); WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "worker-a", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.retrieval(Retrieval.fanOut(async).withShardEndProbeInterval(Duration.ofSeconds(1)))
                            .shardSyncInterval(Duration.ofMillis(500)));
            written.addAll(TestStreams.put(local, stream, "g0", 60, 6));
            Shard root = TestStreams.openShards(local, stream).get(0);
            BigInteger start = new BigInteger(root.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(root.hashKeyRange().endingHashKey());
            local.kinesisClient().splitShard(request -> request.streamName(stream).shardToSplit(root.shardId())
                    .newStartingHashKey(start.add(end).shiftRight(1).toString()));
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
            written.addAll(TestStreams.put(local, stream, "g1", 60, 6));

            List<Shard> children = TestStreams.openShards(local, stream);
            assertThat(children).hasSize(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= 120);
            local.kinesisClient().mergeShards(request -> request.streamName(stream)
                    .shardToMerge(children.get(0).shardId()).adjacentShardToMerge(children.get(1).shardId()));
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
            written.addAll(TestStreams.put(local, stream, "g2", 60, 6));
            String merged = TestStreams.openShards(local, stream).get(0).shardId();

            await().atMost(Duration.ofSeconds(45)).until(() -> recorder.payloads.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> recorder.payloads.size() == written.size());
            List<Lease> leases = new DynamoDbLeaseTable(local.dynamoDbClient(), application).listLeases();
            assertThat(leases).filteredOn(lease -> !lease.leaseKey().equals(merged))
                    .allSatisfy(lease -> assertThat(lease.checkpoint().isShardEnd()).as(lease.leaseKey()).isTrue());
            assertThat(leases).filteredOn(lease -> lease.leaseKey().equals(merged)).singleElement()
                    .satisfies(lease -> assertThat(lease.parentShardIds())
                            .containsExactlyInAnyOrder(children.get(0).shardId(), children.get(1).shardId()));

            // A stream deleted under a subscription: kinesis-local goes on sending empty events; the probe finds out.
            local.kinesisClient().deleteStream(request -> request.streamName(stream).enforceConsumerDeletion(true));
            await().atMost(Duration.ofSeconds(15)).until(() -> recorder.events.contains("TERMINATE " + merged));
            assertThat(worker.deletedStreams()).containsKey(stream);
        }

        assertThat(recorder.payloads).hasSize(written.size());
        assertThat(recorder.payloads).containsExactlyInAnyOrderElementsOf(written);
        TestStreams.assertPerKeyOrder(List.copyOf(recorder.payloads), written);
        Map<String, Long> terminated = recorder.events.stream().filter(event -> event.startsWith("TERMINATE "))
                .collect(Collectors.groupingBy(event -> event, Collectors.counting()));
        assertThat(terminated).as("the root, both children and (stream deleted) the merged shard ended once each")
                .hasSize(4).allSatisfy(
                (event, times) -> assertThat(times).as(event).isEqualTo(1));
        assertThat(recorder.events.stream().filter(event -> event.startsWith("initialize "))).hasSize(4);
    }
}
