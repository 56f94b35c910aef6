package dev.kclboot.benchmarks.latency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The limit of polling at a given pace: the SDK alone, one thread per shard calling GetRecords from TRIM_HORIZON and
 * waiting the idle time minus the call's duration between calls. No leases, no checkpoints.
 */
final class PlainGetRecordsLoop implements LatencyContender {

    private final Duration idle;

    private final List<Thread> threads = new ArrayList<>();

    private volatile boolean running = true;

    PlainGetRecordsLoop(Duration idle) {
        this.idle = idle;
    }

    @Override
    public String name() {
        return "plain GetRecords loop, " + idle.toMillis() + " ms";
    }

    @Override
    public void start(LocalKinesis local, String stream, int shards, LatencyRecorder recorder) {
        KinesisClient kinesis = local.kinesisClient();
        for (Shard shard : kinesis.listShards(request -> request.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(request -> request.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            Thread thread = new Thread(() -> poll(kinesis, iterator, recorder), "plain-" + shard.shardId());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void poll(KinesisClient kinesis, String first, LatencyRecorder recorder) {
        String iterator = first;
        while (running && iterator != null) {
            long start = System.nanoTime();
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(request -> request.shardIterator(current));
            for (Record record : response.records()) {
                recorder.received(record.data().asByteBuffer());
            }
            iterator = response.nextShardIterator();
            long wait = idle.toNanos() - (System.nanoTime() - start);
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
    }
}
