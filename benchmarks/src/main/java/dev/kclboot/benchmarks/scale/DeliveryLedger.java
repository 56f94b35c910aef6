package dev.kclboot.benchmarks.scale;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;

/**
 * What the processors of every worker of one run delivered: each record once by (shard, sequence number,
 * sub-sequence number), so a second delivery of a record by any worker counts as a duplicate; when each shard
 * delivered its first record; and how the processors were shut down. Its processors checkpoint after every batch and
 * at {@code shutdown(REQUESTED)} / {@code TERMINATE}, as an at-least-once consumer that wants no duplicates would.
 */
final class DeliveryLedger {

    private final Set<String> delivered = ConcurrentHashMap.newKeySet();

    private final ConcurrentMap<String, Long> firstDelivery = new ConcurrentHashMap<>();

    private final LongAdder duplicates = new LongAdder();

    private final LongAdder records = new LongAdder();

    private final LongAdder zombies = new LongAdder();

    private final LongAdder requested = new LongAdder();

    private final LongAdder checkpointFailures = new LongAdder();

    private final ConcurrentMap<String, String> duplicateExamples = new ConcurrentHashMap<>();

    /** A processor for {@code Worker.Builder#recordProcessorFactory}, tagged with its worker for the examples. */
    RecordProcessor newProcessor(String workerId) {
        return new LedgerProcessor(workerId);
    }

    long duplicates() {
        return duplicates.sum();
    }

    long records() {
        return records.sum();
    }

    long zombies() {
        return zombies.sum();
    }

    long requestedShutdowns() {
        return requested.sum();
    }

    long checkpointFailures() {
        return checkpointFailures.sum();
    }

    /** A few duplicates, shard/sequence to the worker that delivered it again. */
    Map<String, String> duplicateExamples() {
        return Map.copyOf(duplicateExamples);
    }

    /** {@link System#nanoTime()} of each shard's first delivered record. */
    Map<String, Long> firstDelivery() {
        return Map.copyOf(firstDelivery);
    }

    /** How many of the records put (sequence numbers per shard) were never delivered. */
    long missing(Map<String, Set<String>> put) {
        long missing = 0;
        for (Map.Entry<String, Set<String>> shard : put.entrySet()) {
            for (String sequence : shard.getValue()) {
                if (!delivered.contains(key(shard.getKey(), sequence, 0))) {
                    missing++;
                }
            }
        }
        return missing;
    }

    private static String key(String shardId, String sequence, long subSequence) {
        return shardId + "/" + sequence + "/" + subSequence;
    }

    private final class LedgerProcessor implements RecordProcessor {

        private final String workerId;

        private String shardId = "?";

        LedgerProcessor(String workerId) {
            this.workerId = workerId;
        }

        @Override
        public void initialize(String shardId) {
            this.shardId = shardId;
        }

        @Override
        public void processRecords(List<KinesisRecord> batch, Checkpointer checkpointer) {
            long now = System.nanoTime();
            for (KinesisRecord record : batch) {
                records.increment();
                String key = key(shardId, record.sequenceNumber(), record.subSequenceNumber());
                if (!delivered.add(key)) {
                    duplicates.increment();
                    if (duplicateExamples.size() < 10) {
                        duplicateExamples.put(key, workerId);
                    }
                }
            }
            if (!batch.isEmpty()) {
                firstDelivery.putIfAbsent(shardId, now);
            }
            checkpoint(checkpointer);
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
            if (reason == ShutdownReason.ZOMBIE) {
                zombies.increment();
                return;
            }
            if (reason == ShutdownReason.REQUESTED) {
                requested.increment();
            }
            checkpoint(checkpointer);
        }

        private void checkpoint(Checkpointer checkpointer) {
            try {
                checkpointer.checkpoint();
            }
            catch (RuntimeException ex) {
                checkpointFailures.increment();
            }
        }
    }
}
