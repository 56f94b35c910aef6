package dev.kclboot.spring.listener.container;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.delivery.ListenerRecordProcessor;
import dev.kclboot.spring.listener.delivery.RecordsNotProcessedException;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The per-shard processor of a listener container, driven directly (no engine, no AWS) with an in-memory
 * checkpointer: checkpoint modes, retries, recoverers, conversion failures, stops and shutdown reasons.
 */
class ListenerRecordProcessorTests {

    private static final BackOff FAST = new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS);

    private final RecordingCheckpointer checkpointer = new RecordingCheckpointer();

    private final List<String> recovered = new CopyOnWriteArrayList<>();

    private final List<Exception> recoveredFailures = new CopyOnWriteArrayList<>();

    private final KinesisRecordRecoverer recoverer = (record, metadata, failure) -> {
        recovered.add(metadata.sequenceNumber());
        recoveredFailures.add(failure);
    };

    @Test
    void batchModeCheckpointsTheLastRecordOnceTheBatchIsDone() {
        List<String> seen = new ArrayList<>();
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH), record(seen, (r) -> {
        }));
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(seen).containsExactly("1", "2", "3");
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    @Test
    void recordModeCheckpointsEveryRecord() {
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.RECORD), record(new ArrayList<>(), (r) -> {
        }));
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(checkpointer.checkpoints).containsExactly("1", "2", "3");
    }

    @Test
    void aRecordThatFailsTwiceIsRetriedAndTheCheckpointMovesOnlyAfterItSucceeds() {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        List<String> checkpointsSeenWhileFailing = new CopyOnWriteArrayList<>();
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.RECORD), record(new ArrayList<>(), (r) -> {
            int attempt = attempts.computeIfAbsent(r.sequenceNumber(), key -> new AtomicInteger()).incrementAndGet();
            if (r.sequenceNumber().equals("2") && attempt <= 2) {
                checkpointsSeenWhileFailing.add(checkpointer.last());
                throw new IllegalStateException("boom " + attempt);
            }
        }));
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(attempts.get("2")).hasValue(3);
        assertThat(checkpointsSeenWhileFailing).containsExactly("1", "1");
        assertThat(checkpointer.checkpoints).containsExactly("1", "2", "3");
        assertThat(recovered).isEmpty();
    }

    @Test
    void afterMaxAttemptsTheRecordGoesToTheRecovererAndLaterRecordsGoOn() {
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, 3, ExhaustedAction.RECOVER, false),
                record(seen, (r) -> {
                    if (r.sequenceNumber().equals("2")) {
                        poisonAttempts.incrementAndGet();
                        throw new IllegalArgumentException("poison");
                    }
                }));
        processor.processRecords(records(1, 4), checkpointer);
        assertThat(poisonAttempts).hasValue(3);
        assertThat(recovered).containsExactly("2");
        assertThat(recoveredFailures.get(0)).hasMessage("poison");
        assertThat(seen).contains("3", "4");
        assertThat(checkpointer.checkpoints).containsExactly("4");
    }

    @Test
    void aPayloadThatCannotBeConvertedGoesToTheRecovererWithoutRetries() {
        AtomicInteger calls = new AtomicInteger();
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH), record(new ArrayList<>(), (r) -> {
            calls.incrementAndGet();
            if (r.sequenceNumber().equals("2")) {
                throw new PayloadConversionException(r, "not JSON", new RuntimeException("parse"));
            }
        }));
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(calls).hasValue(3);
        assertThat(recovered).containsExactly("2");
        assertThat(recoveredFailures.get(0)).isInstanceOf(PayloadConversionException.class);
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    @Test
    void aRecovererThatThrowsIsCalledAgainAndTheRecordIsNotSkippedMeanwhile() {
        AtomicInteger recovererCalls = new AtomicInteger();
        KinesisRecordRecoverer flaky = (record, metadata, failure) -> {
            if (recovererCalls.incrementAndGet() < 3) {
                assertThat(checkpointer.checkpoints).isEmpty();
                throw new IllegalStateException("dead-letter queue down");
            }
        };
        KinesisListenerSettings settings = new KinesisListenerSettings("l", "app", "s", false, CheckpointMode.BATCH,
                Duration.ofSeconds(10), true, 1, FAST, ExhaustedAction.RECOVER, flaky);
        ListenerRecordProcessor processor = processor(settings, record(new ArrayList<>(), (r) -> {
            throw new IllegalStateException("always");
        }));
        processor.processRecords(records(1, 1), checkpointer);
        assertThat(recovererCalls).hasValue(3);
        assertThat(checkpointer.checkpoints).containsExactly("1");
    }

    @Test
    void stopOnExhaustedKeepsTheCheckpointBeforeTheRecordAndHandsTheBatchBack() {
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, 2, ExhaustedAction.STOP, false),
                record(new ArrayList<>(), (r) -> {
                    if (r.sequenceNumber().equals("3")) {
                        throw new IllegalStateException("fatal");
                    }
                }));
        assertThatExceptionOfType(RecordsNotProcessedException.class)
                .isThrownBy(() -> processor.processRecords(records(1, 5), checkpointer));
        assertThat(checkpointer.checkpoints).containsExactly("2");
        assertThat(container.isRunning()).isFalse();
        processor.shutdown(checkpointer, ShutdownReason.TERMINATE);
        assertThat(checkpointer.checkpoints).as("no SHARD_END while records are not done").containsExactly("2");
    }

    @Test
    void recordsAlreadyDoneAreNotDeliveredAgainWhenTheEngineRedeliversTheBatch() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH), record(seen, (r) -> {
            if (r.sequenceNumber().equals("2") && failures.getAndIncrement() == 0) {
                container.markStopped();
                throw new IllegalStateException("fails while the container stops");
            }
        }));
        assertThatExceptionOfType(RecordsNotProcessedException.class)
                .isThrownBy(() -> processor.processRecords(records(1, 3), checkpointer));
        assertThat(checkpointer.checkpoints).containsExactly("1");
        container.markRunning();
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(seen).containsExactly("1", "2", "2", "3");
        assertThat(checkpointer.last()).isEqualTo("3");
    }

    @Test
    void aStopCutsAnUnlimitedRetryShortAndRequestedShutdownCheckpointsWhatIsDone() throws Exception {
        KinesisListenerSettings settings = new KinesisListenerSettings("l", "app", "s", false, CheckpointMode.BATCH,
                Duration.ofSeconds(10), true, KinesisListenerSettings.UNLIMITED_ATTEMPTS,
                new FixedBackOff(60_000, FixedBackOff.UNLIMITED_ATTEMPTS), ExhaustedAction.RECOVER, recoverer);
        AtomicInteger attempts = new AtomicInteger();
        ListenerRecordProcessor processor = processor(settings, record(new ArrayList<>(), (r) -> {
            if (r.sequenceNumber().equals("2")) {
                attempts.incrementAndGet();
                throw new IllegalStateException("down");
            }
        }));
        Thread engine = new Thread(() -> {
            try {
                processor.processRecords(records(1, 3), checkpointer);
            }
            catch (RecordsNotProcessedException expected) {
                // handed back
            }
        });
        engine.start();
        await().until(() -> attempts.get() == 1);
        container.beginStop();
        engine.join(10_000);
        assertThat(engine.isAlive()).isFalse();
        processor.shutdown(checkpointer, ShutdownReason.REQUESTED);
        assertThat(checkpointer.checkpoints).containsExactly("1");
        assertThat(recovered).isEmpty();
    }

    @Test
    void aGracefulStopLetsTheBatchInFlightFinishButDoesNotRetry() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH), record(seen, (r) -> {
            if (r.sequenceNumber().equals("1")) {
                container.beginStop();
            }
        }));
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(seen).containsExactly("1", "2", "3");
        assertThat(checkpointer.checkpoints).containsExactly("3");

        RecordingCheckpointer other = new RecordingCheckpointer();
        AtomicInteger attempts = new AtomicInteger();
        ListenerRecordProcessor failing = processor(settings(CheckpointMode.BATCH), record(new ArrayList<>(), (r) -> {
            container.beginStop();
            if (r.sequenceNumber().equals("2")) {
                attempts.incrementAndGet();
                throw new IllegalStateException("fails during the stop");
            }
        }));
        assertThatExceptionOfType(RecordsNotProcessedException.class)
                .isThrownBy(() -> failing.processRecords(records(1, 3), other));
        assertThat(attempts).hasValue(1);
        assertThat(other.checkpoints).containsExactly("1");
    }

    @Test
    void terminateCheckpointsShardEndOnceEveryRecordIsDone() {
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.MANUAL), record(new ArrayList<>(), (r) -> {
        }));
        processor.processRecords(records(1, 2), checkpointer);
        assertThat(checkpointer.checkpoints).isEmpty();
        processor.shutdown(checkpointer, ShutdownReason.TERMINATE);
        assertThat(checkpointer.checkpoints).containsExactly("SHARD_END");
    }

    @Test
    void manualModeLeavesCheckpointsToTheListenerEvenOnRequestedShutdown() {
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.MANUAL),
                (KinesisRecordListener) (record, metadata, cp) -> {
                    if (record.sequenceNumber().equals("2")) {
                        cp.checkpoint();
                    }
                });
        processor.processRecords(records(1, 3), checkpointer);
        processor.shutdown(checkpointer, ShutdownReason.REQUESTED);
        assertThat(checkpointer.checkpoints).as("checkpoint() covers the current record only").containsExactly("2");
    }

    @Test
    void zombieShutdownDoesNotCheckpoint() {
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.PERIODIC), record(new ArrayList<>(), (r) -> {
        }));
        processor.processRecords(records(1, 2), checkpointer);
        processor.shutdown(checkpointer, ShutdownReason.ZOMBIE);
        assertThat(checkpointer.checkpoints).isEmpty();
    }

    @Test
    void periodicModeCheckpointsWhenTheIntervalPassedAndOnRequestedShutdown() {
        ListenerRecordProcessor slow = processor(settings(CheckpointMode.PERIODIC), record(new ArrayList<>(), (r) -> {
        }));
        slow.processRecords(records(1, 3), checkpointer);
        assertThat(checkpointer.checkpoints).as("interval of 10s not passed").isEmpty();
        slow.shutdown(checkpointer, ShutdownReason.REQUESTED);
        assertThat(checkpointer.checkpoints).containsExactly("3");

        RecordingCheckpointer other = new RecordingCheckpointer();
        KinesisListenerSettings everyTime = new KinesisListenerSettings("l", "app", "s", false,
                CheckpointMode.PERIODIC, Duration.ofNanos(1), true, KinesisListenerSettings.UNLIMITED_ATTEMPTS, FAST,
                ExhaustedAction.RECOVER, recoverer);
        ListenerRecordProcessor fast = processor(everyTime, record(new ArrayList<>(), (r) -> {
        }));
        fast.processRecords(records(1, 3), other);
        assertThat(other.checkpoints).containsExactly("1", "2", "3");
    }

    @Test
    void aBatchListenerGetsTheConvertibleRecordsAndTheRecovererTheOthers() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        KinesisBatchListener listener = (records, metadata, cp) -> {
            for (KinesisRecord r : records) {
                if (new String(r.dataBytes(), StandardCharsets.UTF_8).equals("bad")) {
                    throw new PayloadConversionException(r, "bad payload", new RuntimeException());
                }
            }
            batches.add(records.stream().map(KinesisRecord::sequenceNumber).toList());
        };
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, -1, ExhaustedAction.RECOVER, true),
                listener);
        List<KinesisRecord> records = new ArrayList<>(records(1, 3));
        records.set(1, record("2", "bad"));
        processor.processRecords(records, checkpointer);
        assertThat(recovered).containsExactly("2");
        assertThat(batches).containsExactly(List.of("1", "3"));
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    @Test
    void aFailingBatchIsRetriedAsAWholeThenEachRecordIsRecovered() {
        AtomicInteger calls = new AtomicInteger();
        KinesisBatchListener listener = (records, metadata, cp) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("batch failed");
        };
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, 2, ExhaustedAction.RECOVER, true),
                listener);
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(calls).hasValue(2);
        assertThat(recovered).containsExactly("1", "2", "3");
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    // --- support ---

    private KinesisListenerContainer container;

    private ListenerRecordProcessor processor(KinesisListenerSettings settings, KinesisMessageListener listener) {
        container = new KinesisListenerContainer(settings, listener);
        container.markRunning();
        ListenerRecordProcessor processor = (ListenerRecordProcessor) container.createProcessor("stream");
        processor.initialize("shardId-000000000000");
        return processor;
    }

    private KinesisListenerSettings settings(CheckpointMode mode) {
        return settings(mode, -1, ExhaustedAction.RECOVER, false);
    }

    private KinesisListenerSettings settings(CheckpointMode mode, int maxAttempts, ExhaustedAction action,
            boolean batch) {
        return new KinesisListenerSettings("listener", "app", "stream", batch, mode, Duration.ofSeconds(10), true,
                (maxAttempts < 0) ? KinesisListenerSettings.UNLIMITED_ATTEMPTS : maxAttempts, FAST, action,
                recoverer);
    }

    private static KinesisRecordListener record(List<String> seen, RecordAction action) {
        return (record, metadata, cp) -> {
            seen.add(record.sequenceNumber());
            action.accept(record);
        };
    }

    private static List<KinesisRecord> records(int from, int to) {
        List<KinesisRecord> records = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            records.add(record(String.valueOf(i), "payload-" + i));
        }
        return records;
    }

    private static KinesisRecord record(String sequenceNumber, String payload) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequenceNumber)
                .partitionKey("pk").data(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    @FunctionalInterface
    interface RecordAction {

        void accept(KinesisRecord record) throws Exception;
    }
}
