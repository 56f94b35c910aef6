package dev.kclboot.benchmarks.chaos;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.DoubleSupplier;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.DependencyException;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.checkpoint.ThrottlingException;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * The record processor of a chaos worker: one instance is one lease tenure. It logs what the engine does to it
 * (see {@link LogLine} for the line types) and behaves as a careful application would: it checkpoints after every
 * batch, retries a throttled or failed checkpoint a few times with backoff and otherwise lets the next batch's
 * checkpoint cover it, checkpoints SHARD_END at TERMINATE and its progress at REQUESTED, and never checkpoints as a
 * ZOMBIE.
 * <p>
 * With a probability it throws from {@code processRecords} after logging the batch and before checkpointing, so the
 * engine's "a failed batch is delivered again" path is exercised; the {@code T} line says so, which is what
 * explains the repeat to the checker.
 */
final class ChaosProcessor implements RecordProcessor {

    /** Attempts per checkpoint; between them 100, 200, 400 ms. */
    static final int CHECKPOINT_ATTEMPTS = 4;

    private final LineLog log;

    private final String tenure;

    private final double failureRate;

    private final DoubleSupplier random;

    private String shardId = "?";

    private int batch;

    /** The last record of the last batch that was processed (not thrown), null before one. */
    private @Nullable KinesisRecord lastProcessed;

    private boolean lastCheckpointed = true;

    /**
     * @param log the worker's log
     * @param tenure {@code <worker>/<n>}
     * @param failureRate probability that processRecords throws for a batch
     * @param random the worker's seeded random
     */
    ChaosProcessor(LineLog log, String tenure, double failureRate, DoubleSupplier random) {
        this.log = log;
        this.tenure = tenure;
        this.failureRate = failureRate;
        this.random = random;
    }

    @Override
    public void initialize(String shardId) {
        this.shardId = shardId;
        log.append('I', tenure, shardId);
    }

    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        int number = ++batch;
        try {
            log.append('B', tenure, shardId, number, records.size(), format(checkpointer.lastCheckpoint()));
            for (KinesisRecord record : records) {
                String id = new String(record.dataBytes(), StandardCharsets.US_ASCII);
                log.append('D', tenure, shardId, number, record.sequenceNumber(), record.subSequenceNumber(), id,
                        record.partitionKey());
            }
            if (failureRate > 0 && random.getAsDouble() < failureRate) {
                throw new InjectedProcessingFailure();
            }
            // Only a batch that was processed counts as done: a failed one is not checkpointed at shutdown either.
            KinesisRecord last = records.get(records.size() - 1);
            lastProcessed = last;
            lastCheckpointed = false;
            checkpoint(checkpointer::checkpoint, number, position(last));
        }
        catch (RuntimeException ex) {
            // Whatever makes processRecords throw, the engine delivers the batch again: say so before throwing.
            log.append('T', tenure, shardId, number, ex.getClass().getSimpleName());
            throw ex;
        }
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        log.append('S', tenure, shardId, reason.name());
        KinesisRecord done = lastProcessed;
        if (reason == ShutdownReason.TERMINATE) {
            checkpoint(checkpointer::checkpoint, batch, Position.SHARD_END);
        }
        else if (reason == ShutdownReason.REQUESTED && done != null && !lastCheckpointed) {
            checkpoint(() -> checkpointer.checkpoint(done), batch, position(done));
        }
    }

    /**
     * Runs a checkpoint call with a few retries. Logs C with the position once it succeeded, E for each failed
     * attempt.
     */
    private void checkpoint(Runnable call, int number, Position position) {
        for (int attempt = 1; attempt <= CHECKPOINT_ATTEMPTS; attempt++) {
            try {
                call.run();
                log.append('C', tenure, shardId, number, position);
                lastCheckpointed = true;
                return;
            }
            catch (ThrottlingException | DependencyException ex) {
                log.append('E', tenure, shardId, number, attempt, ex.getClass().getSimpleName());
                if (attempt < CHECKPOINT_ATTEMPTS && !sleep(100L << (attempt - 1))) {
                    return;
                }
            }
            catch (ShutdownException ex) {
                // The lease is gone: the next owner starts from the stored checkpoint.
                log.append('E', tenure, shardId, number, attempt, ex.getClass().getSimpleName());
                return;
            }
        }
    }

    private static Position position(KinesisRecord record) {
        return Position.of(record.sequenceNumber(), record.subSequenceNumber());
    }

    private static String format(ExtendedSequenceNumber position) {
        return position.isSentinel() ? position.sequenceNumber()
                : position.sequenceNumber() + "/" + position.subSequenceNumber();
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Thrown on purpose by {@link ChaosProcessor} so the engine delivers a batch again. */
    static final class InjectedProcessingFailure extends RuntimeException {

        InjectedProcessingFailure() {
            super("processing failure injected by the chaos processor", null, false, false);
        }
    }
}
