package dev.kclboot.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EmbeddedKinesis
class ReshardingIT {

    @Test
    void splitAndMergeDuringConsumptionLoseNothingAndKeepPerKeyOrder(LocalKinesis local) {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> written = new ArrayList<>();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", recorder);
            written.addAll(TestStreams.put(local, stream, "1", 100, 10));

            Shard first = shards(local, stream).get(0);
            BigInteger start = new BigInteger(first.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(first.hashKeyRange().endingHashKey());
            String middle = start.add(end).shiftRight(1).toString();
            local.kinesisClient().splitShard(request -> request.streamName(stream).shardToSplit(first.shardId())
                    .newStartingHashKey(middle));
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
            written.addAll(TestStreams.put(local, stream, "2", 100, 10));

            List<Shard> open = shards(local, stream).stream()
                    .filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                    .sorted((x, y) -> new BigInteger(x.hashKeyRange().startingHashKey())
                            .compareTo(new BigInteger(y.hashKeyRange().startingHashKey())))
                    .toList();
            assertThat(open).hasSize(3);
            // The upper child of the split and the second original shard are adjacent in hash space.
            local.kinesisClient().mergeShards(request -> request.streamName(stream)
                    .shardToMerge(open.get(1).shardId()).adjacentShardToMerge(open.get(2).shardId()));
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
            written.addAll(TestStreams.put(local, stream, "3", 100, 10));

            await().atMost(Duration.ofSeconds(60)).until(() -> recorder.distinctPayloads().containsAll(written));
        }
        assertThat(recorder.events).filteredOn(event -> event.startsWith("TERMINATE")).hasSize(3);
        assertPerKeyOrder(recorder.distinctPayloads(), written);
    }

    /** For every partition key, records are processed (first time) in the order they were written. */
    private static void assertPerKeyOrder(List<String> processed, List<String> written) {
        Map<String, Integer> writeIndex = new HashMap<>();
        for (int i = 0; i < written.size(); i++) {
            writeIndex.put(written.get(i), i);
        }
        Map<String, Integer> lastSeen = new HashMap<>();
        for (String payload : processed) {
            String key = payload.split("-")[1];
            int index = writeIndex.get(payload);
            Integer previous = lastSeen.put(key, index);
            assertThat(previous == null || previous < index)
                    .as("%s processed after a later record of the same key", payload).isTrue();
        }
    }

    private static List<Shard> shards(LocalKinesis local, String stream) {
        return local.kinesisClient().listShards(request -> request.streamName(stream)).shards();
    }
}
