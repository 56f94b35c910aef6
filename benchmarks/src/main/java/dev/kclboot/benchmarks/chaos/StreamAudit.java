package dev.kclboot.benchmarks.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Checks the producer's accounting against the stream itself, independently of the workers: reads every shard (open
 * and closed) from TRIM_HORIZON with a plain GetRecords loop and compares what is there with the producer's log.
 * Every acknowledged record must be in the stream at the shard and sequence number its acknowledgement named; records
 * in the stream that were never acknowledged are copies from a failed request that landed anyway.
 */
final class StreamAudit {

    /** What the audit found. */
    record Result(long recordsInStream, long unacknowledgedRecords, List<String> problems) {
    }

    private final KinesisClient kinesis;

    private final Resharder shards;

    StreamAudit(KinesisClient kinesis, Resharder shards) {
        this.kinesis = kinesis;
        this.shards = shards;
    }

    /** Reads the stream and compares it with the producer's {@code W} lines. */
    Result audit(List<LogLine> writes) {
        Map<String, String> idAt = new HashMap<>();
        long records = 0;
        for (Shard shard : shards.shards()) {
            for (Record record : readAll(shard.shardId())) {
                idAt.put(shard.shardId() + " " + record.sequenceNumber(),
                        new String(record.data().asByteArrayUnsafe(), StandardCharsets.US_ASCII));
                records++;
            }
        }
        List<String> problems = new ArrayList<>();
        for (LogLine write : writes) {
            String found = idAt.remove(write.field(3) + " " + write.field(4));
            if (!write.field(1).equals(found)) {
                problems.add("the stream does not hold the acknowledged record " + write.quote()
                        + (found == null ? "" : " (it holds id " + found + " there)"));
            }
        }
        return new Result(records, idAt.size(), problems);
    }

    private List<Record> readAll(String shardId) {
        List<Record> records = new ArrayList<>();
        String iterator = kinesis.getShardIterator(r -> r.streamName(streamName()).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(r -> r.shardIterator(current).limit(10_000));
            records.addAll(response.records());
            Long behind = response.millisBehindLatest();
            boolean caughtUp = response.records().isEmpty() && (behind == null || behind == 0);
            // A closed shard ends with no next iterator; an open one is read until it is caught up.
            iterator = caughtUp ? null : response.nextShardIterator();
        }
        return records;
    }

    private String streamName() {
        return shards.stream();
    }
}
