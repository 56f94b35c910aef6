package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;

/**
 * A processor for tests: records every delivery (in the order processed across all shards of a {@link Recorder}),
 * checkpoints after each batch and at TERMINATE / REQUESTED.
 */
class RecordingProcessor implements RecordProcessor {

    /** Shared by the processors of one worker (or several): what was processed, in order. */
    static final class Recorder {

        final Queue<String> payloads = new ConcurrentLinkedQueue<>();

        final Queue<String> events = new ConcurrentLinkedQueue<>();

        final Queue<KinesisRecord> records = new ConcurrentLinkedQueue<>();

        List<String> distinctPayloads() {
            return payloads.stream().distinct().toList();
        }
    }

    private final Recorder recorder;

    private final boolean checkpointEachBatch;

    private String shardId = "?";

    RecordingProcessor(Recorder recorder, boolean checkpointEachBatch) {
        this.recorder = recorder;
        this.checkpointEachBatch = checkpointEachBatch;
    }

    @Override
    public void initialize(String shardId) {
        this.shardId = shardId;
        recorder.events.add("initialize " + shardId);
    }

    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        for (KinesisRecord record : records) {
            recorder.records.add(record);
            recorder.payloads.add(new String(record.dataBytes(), StandardCharsets.UTF_8));
        }
        if (checkpointEachBatch) {
            checkpointer.checkpoint();
        }
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        recorder.events.add(reason + " " + shardId);
        if (reason != ShutdownReason.ZOMBIE && checkpointEachBatch) {
            checkpointer.checkpoint();
        }
    }
}
