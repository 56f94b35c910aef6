package dev.kclboot.benchmarks;

import java.util.Map;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The baseline: one thread, no leases, no checkpoints, no pacing. For each shard in turn, a TRIM_HORIZON iterator,
 * then GetRecords with the limit until the shard is read: its known record count reached, or an empty response with
 * millisBehindLatest 0, or the shard closed. Each record's payload is touched (its size summed) as a processor would.
 */
final class PlainReader {

    private final KinesisClient kinesis;

    private final String stream;

    private final int limit;

    PlainReader(KinesisClient kinesis, String stream, int limit) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.limit = limit;
    }

    /**
     * Reads every shard once.
     * @param expected records per shard id; a shard not in the map is read until an empty, caught-up response
     */
    Result read(Iterable<String> shardIds, Map<String, Long> expected) {
        long start = System.nanoTime();
        long records = 0;
        long bytes = 0;
        int calls = 0;
        for (String shardId : shardIds) {
            long want = expected.getOrDefault(shardId, 0L);
            long read = 0;
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(r -> r.shardIterator(current).limit(limit));
                calls++;
                for (Record record : response.records()) {
                    bytes += record.data().asByteBuffer().remaining();
                    read++;
                }
                iterator = response.nextShardIterator();
                boolean caughtUp = response.records().isEmpty() && Long.valueOf(0).equals(response.millisBehindLatest());
                if ((want > 0 && read >= want) || caughtUp) {
                    break;
                }
            }
            records += read;
        }
        return new Result(records, bytes, calls, System.nanoTime() - start);
    }

    /** What one pass read and how long it took. */
    record Result(long records, long bytes, int calls, long nanos) {

        double perSecond() {
            return Figures.perSecond(records, nanos);
        }
    }
}
