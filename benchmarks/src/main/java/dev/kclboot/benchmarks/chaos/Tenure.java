package dev.kclboot.benchmarks.chaos;

import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What the checker knows of one lease tenure (one processor instance of one worker process, from its initialize to
 * its last line): when it ran, the highest checkpoint of its shard known to have succeeded before it began, which of
 * its batches failed to checkpoint or threw, and how it ended.
 */
final class Tenure {

    final String id;

    final String worker;

    final String shard;

    final LogLine init;

    /** The highest checkpoint of the shard logged as successful before this tenure's initialize. */
    final Position checkpointAtStart;

    long lastNanos;

    /** The stored checkpoint the tenure's first batch reported ({@code B ... from}), null before a batch. */
    @Nullable Position from;

    /** The shutdown reason, null while none was logged. */
    @Nullable String reason;

    /** Batches for which a checkpoint attempt failed ({@code E}). */
    final Set<Integer> failedCheckpoints = new HashSet<>();

    /** Batches whose processRecords threw ({@code T}). */
    final Set<Integer> thrown = new HashSet<>();

    /** The highest batch number of a successful checkpoint ({@code C}); it covers every batch up to it. */
    int checkpointedBatch;

    Tenure(LogLine init, Position checkpointAtStart) {
        this.id = init.tenure();
        this.worker = init.worker();
        this.shard = init.shard();
        this.init = init;
        this.checkpointAtStart = checkpointAtStart;
        this.lastNanos = init.nanos();
    }

    long startNanos() {
        return init.nanos();
    }

    /** Whether a successful checkpoint of this tenure covered the batch. */
    boolean checkpointed(int batch) {
        return batch <= checkpointedBatch;
    }

    /** Whether the batch is known to have been left without a checkpoint: its checkpoint failed, or it threw. */
    boolean failedToCheckpoint(int batch) {
        return !checkpointed(batch) && (failedCheckpoints.contains(batch) || thrown.contains(batch));
    }
}
