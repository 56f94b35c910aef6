package dev.kclboot.benchmarks.chaos;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.DependencyException;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.checkpoint.ThrottlingException;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writing side of the logs against the reading side: what {@link ChaosProcessor} and {@link ChaosWorker} write
 * is what {@link ChaosLogs} parses and {@link ChaosChecker} understands.
 */
class ChaosProcessorTest {

    @TempDir
    Path dir;

    @Test
    void logsEveryDeliveryAndOnlyTheCheckpointsThatSucceeded() throws Exception {
        Path file = dir.resolve("w1.1.log");
        ScriptedCheckpointer checkpointer = new ScriptedCheckpointer();
        try (LineLog log = new LineLog(file)) {
            ChaosProcessor processor = new ChaosProcessor(log, "w1.1/1", 0, () -> 1.0);
            processor.initialize("shard-A");
            // Batch 1: throttled once, then the retry succeeds.
            checkpointer.outcomes.add(ThrottlingException.class);
            processor.processRecords(List.of(record("100", 1), record("101", 2)), checkpointer);
            // Batch 2: every attempt fails; the next checkpoint will cover it.
            for (int i = 0; i < ChaosProcessor.CHECKPOINT_ATTEMPTS; i++) {
                checkpointer.outcomes.add(DependencyException.class);
            }
            processor.processRecords(List.of(record("102", 3)), checkpointer);
            // Shutdown REQUESTED: the un-checkpointed batch 2 is checkpointed, but the lease is gone.
            checkpointer.outcomes.add(ShutdownException.class);
            processor.shutdown(checkpointer, ShutdownReason.REQUESTED);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).extracting(line -> line.substring(0, 1)).containsExactly("I", "B", "D", "D", "E", "C", "B",
                "D", "E", "E", "E", "E", "S", "E");
        assertThat(lines.get(5)).endsWith(" w1.1/1 shard-A 1 101/0");
        assertThat(lines.get(4)).endsWith(" w1.1/1 shard-A 1 1 ThrottlingException");
        assertThat(lines.get(13)).endsWith(" w1.1/1 shard-A 2 1 ShutdownException");
        assertThat(checkpointer.calls).isEqualTo(2 + ChaosProcessor.CHECKPOINT_ATTEMPTS + 1);
        assertThat(checkpointer.checkpointedRecord).as("REQUESTED checkpoints the last processed record").isEqualTo("102");

        ChaosReport report = ChaosChecker.check(ChaosLogs.parse(List.of(
                "W 1 1 1 key-1 shard-A 100", "W 2 2 2 key-2 shard-A 101", "W 3 3 3 key-3 shard-A 102"),
                Map.of("w1.1.log", lines), List.of()));
        assertThat(report.harnessProblems().count()).isZero();
        assertThat(report.deliveries()).isEqualTo(3);
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void atTerminateItCheckpointsShardEndAndAnInjectedFailureIsLoggedBeforeItIsThrown() throws Exception {
        Path file = dir.resolve("w1.1.log");
        ScriptedCheckpointer checkpointer = new ScriptedCheckpointer();
        try (LineLog log = new LineLog(file)) {
            ChaosProcessor failing = new ChaosProcessor(log, "w1.1/1", 0.5, () -> 0.1);
            failing.initialize("shard-A");
            assertThatThrownBy(() -> failing.processRecords(List.of(record("100", 1)), checkpointer))
                    .isInstanceOf(ChaosProcessor.InjectedProcessingFailure.class);
            failing.shutdown(checkpointer, ShutdownReason.TERMINATE);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).extracting(line -> line.substring(0, 1)).containsExactly("I", "B", "D", "T", "S", "C");
        assertThat(lines.get(3)).endsWith(" 1 InjectedProcessingFailure");
        assertThat(lines.get(5)).endsWith(" SHARD_END");
        assertThat(checkpointer.calls).isEqualTo(1); // nothing was checkpointed after the failure
    }

    @Test
    void aBatchWhoseProcessingThrewIsNotCheckpointedAtShutdown() throws Exception {
        Path file = dir.resolve("w1.1.log");
        ScriptedCheckpointer checkpointer = new ScriptedCheckpointer();
        try (LineLog log = new LineLog(file)) {
            ChaosProcessor failing = new ChaosProcessor(log, "w1.1/1", 0.5, () -> 0.1);
            failing.initialize("shard-A");
            assertThatThrownBy(() -> failing.processRecords(List.of(record("100", 1)), checkpointer))
                    .isInstanceOf(ChaosProcessor.InjectedProcessingFailure.class);
            failing.shutdown(checkpointer, ShutdownReason.REQUESTED);
        }
        assertThat(Files.readAllLines(file)).extracting(line -> line.substring(0, 1))
                .containsExactly("I", "B", "D", "T", "S");
        assertThat(checkpointer.calls).isZero();
    }

    @Test
    void theWorkersFaultLineIsWhatTheCheckerSums() throws Exception {
        Path file = dir.resolve("w1.1.log");
        FaultInjector faults = new FaultInjector(0, 1, EnumSet.allOf(FaultInjector.Fault.class));
        try (LineLog log = new LineLog(file)) {
            ChaosWorker.logFaults(log, "w1.1", faults);
        }
        ChaosReport report = ChaosChecker.check(ChaosLogs.parse(List.of(),
                Map.of("w1.1.log", Files.readAllLines(file)), List.of()));
        assertThat(report.harnessProblems().count()).isZero();
        assertThat(report.faultsInjected()).containsExactly(Map.entry("calls", 0L));
    }

    @Test
    void aFieldWithASpaceIsRefusedRatherThanWrittenAmbiguously() throws Exception {
        try (LineLog log = new LineLog(dir.resolve("x.log"))) {
            assertThatThrownBy(() -> log.append('P', "w1.1", "two words"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static KinesisRecord record(String sequence, long id) {
        return KinesisRecord.builder().shardId("shard-A").sequenceNumber(sequence).partitionKey("key-" + id)
                .data(Long.toString(id).getBytes(StandardCharsets.US_ASCII)).build();
    }

    /** Fails checkpoint() with the queued exception types, in order; succeeds when none is queued. */
    private static final class ScriptedCheckpointer implements Checkpointer {

        final Deque<Class<? extends RuntimeException>> outcomes = new ArrayDeque<>();

        int calls;

        String checkpointedRecord = "";

        @Override
        public void checkpoint() {
            calls++;
            Class<? extends RuntimeException> failure = outcomes.poll();
            if (failure == ThrottlingException.class) {
                throw new ThrottlingException("throttled", new RuntimeException("429"));
            }
            if (failure == DependencyException.class) {
                throw new DependencyException("failed", new RuntimeException("500"));
            }
            if (failure == ShutdownException.class) {
                throw new ShutdownException("lost");
            }
        }

        @Override
        public void checkpoint(String sequenceNumber) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkpoint(String sequenceNumber, long subSequenceNumber) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkpoint(KinesisRecord record) {
            checkpointedRecord = record.sequenceNumber();
            checkpoint();
        }

        @Override
        public String shardId() {
            return "shard-A";
        }

        @Override
        public ExtendedSequenceNumber lastCheckpoint() {
            return ExtendedSequenceNumber.TRIM_HORIZON;
        }
    }
}
