package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Streams of the benchmark on kinesis-local: created with a patient wait (hundreds of shards), listed page by page,
 * and deleted after their run so that the next run stays under the emulator's open-shard limit.
 */
final class Streams {

    private Streams() {
    }

    /** Creates a stream of {@code shards} shards with a unique name and waits until it is ACTIVE. */
    static String create(LocalKinesis local, String prefix, int shards) {
        String name = LocalKinesis.uniqueName(prefix);
        local.kinesisClient().createStream(request -> request.streamName(name).shardCount(shards));
        local.awaitStreamActive(name, Duration.ofMinutes(5));
        return name;
    }

    /** Every shard of the stream, by id. */
    static List<Shard> list(KinesisClient kinesis, String stream) {
        List<Shard> shards = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListShardsResponse page = next == null ? kinesis.listShards(request -> request.streamName(stream))
                    : kinesis.listShards(request -> request.nextToken(next));
            shards.addAll(page.shards());
            token = page.nextToken();
        }
        while (token != null);
        shards.sort(Comparator.comparing(Shard::shardId));
        return shards;
    }

    /** Deletes the stream and waits until it is gone (at most a minute). */
    static void delete(LocalKinesis local, String stream) throws InterruptedException {
        try {
            local.kinesisClient().deleteStream(request -> request.streamName(stream).enforceConsumerDeletion(true));
        }
        catch (ResourceNotFoundException ex) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                local.kinesisClient().describeStreamSummary(request -> request.streamName(stream));
            }
            catch (ResourceNotFoundException ex) {
                return;
            }
            Thread.sleep(50);
        }
    }
}
