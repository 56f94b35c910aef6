package dev.kclboot.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream's lifetime over three generations of resharding: scale up (split), down (merge the split's children),
 * up again (split the merged shard), with TRIM_HORIZON, a cleanup every 500 ms and a shard sync every 500 ms, running
 * on through many sync and cleanup cycles after the last reshard. Every record is delivered exactly once (duplicates
 * counted, not hidden), in write order per key, every shard is initialized once and terminated once, and the
 * finished shards' leases are cleaned up and never come back.
 */
@EmbeddedKinesis
class ReshardingIT {

    @Test
    void scaleUpDownAndUpAgainReadsEveryShardOnceThroughManyCleanups(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> written = new ArrayList<>();
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.shardSyncInterval(Duration.ofMillis(500))
                            .leaseCleanupInterval(Duration.ofMillis(500)));
            written.addAll(TestStreams.put(local, stream, "g0", 60, 6));

            Shard root = TestStreams.openShards(local, stream).get(0);
            split(local, stream, root);
            written.addAll(TestStreams.put(local, stream, "g1", 60, 6));

            List<Shard> children = TestStreams.openShards(local, stream);
            assertThat(children).hasSize(2);
            local.kinesisClient().mergeShards(request -> request.streamName(stream)
                    .shardToMerge(children.get(0).shardId()).adjacentShardToMerge(children.get(1).shardId()));
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
            written.addAll(TestStreams.put(local, stream, "g2", 60, 6));

            Shard merged = TestStreams.openShards(local, stream).get(0);
            split(local, stream, merged);
            written.addAll(TestStreams.put(local, stream, "g3", 60, 6));

            await().atMost(Duration.ofSeconds(60)).until(() -> recorder.payloads.size() >= written.size());
            // Run on through many shard syncs and cleanups: a finished lineage must never be leased again.
            List<String> grandchildren = TestStreams.openShards(local, stream).stream().map(Shard::shardId).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> leaseKeys(table).equals(Set.copyOf(grandchildren)));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                    .until(() -> leaseKeys(table).equals(Set.copyOf(grandchildren)));
            written.addAll(TestStreams.put(local, stream, "g4", 60, 6));
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());
        }

        Map<String, Long> deliveries = recorder.payloads.stream()
                .collect(Collectors.groupingBy(payload -> payload, Collectors.counting()));
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(deliveries.values()).as("duplicates").allMatch(count -> count == 1);
        assertThat(recorder.payloads).hasSize(written.size());
        TestStreams.assertPerKeyOrder(List.copyOf(recorder.payloads), written);

        Map<String, Long> initialized = count(recorder, "initialize ");
        assertThat(initialized).as("each of the six shards is initialized once").hasSize(6)
                .allSatisfy((shard, times) -> assertThat(times).as(shard).isEqualTo(1));
        Map<String, Long> terminated = count(recorder, "TERMINATE ");
        assertThat(terminated).as("the root, both children and the merged shard ended once each").hasSize(3 + 1)
                .allSatisfy((shard, times) -> assertThat(times).as(shard).isEqualTo(1));
    }

    private static Map<String, Long> count(RecordingProcessor.Recorder recorder, String prefix) {
        return recorder.events.stream().filter(event -> event.startsWith(prefix))
                .collect(Collectors.groupingBy(event -> event.substring(prefix.length()), Collectors.counting()));
    }

    private static Set<String> leaseKeys(DynamoDbLeaseTable table) {
        return table.listLeases().stream().map(Lease::leaseKey).collect(Collectors.toSet());
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
