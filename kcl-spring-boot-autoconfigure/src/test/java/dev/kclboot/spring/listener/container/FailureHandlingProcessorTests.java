package dev.kclboot.spring.listener.container;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.BatchListenerFailedException;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.DeliveryOptions;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.delivery.ListenerRecordProcessor;
import dev.kclboot.spring.listener.filter.ExpressionRecordFilter;
import dev.kclboot.spring.listener.recovery.RecordExpiredException;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The failure handling of a shard processor, driven directly with an in-memory checkpointer (the integration tests
 * prove it against the emulators): partial batch failures, bisecting, expired records, filters, and checkpoints at the
 * low watermark when records are done out of order.
 */
class FailureHandlingProcessorTests {

    private final RecordingCheckpointer checkpointer = new RecordingCheckpointer();

    private final List<String> recovered = new CopyOnWriteArrayList<>();

    private final List<Exception> recoveredFailures = new CopyOnWriteArrayList<>();

    private final KinesisRecordRecoverer recoverer = (record, metadata, failure) -> {
        recovered.add(position(record));
        recoveredFailures.add(failure);
    };

    private final List<List<String>> calls = new CopyOnWriteArrayList<>();

    @Test
    void aPartialFailureByIndexMakesTheRecordsBeforeItDoneAndResumesAtIt() {
        List<Integer> failuresLeft = new ArrayList<>(List.of(2));
        KinesisBatchListener listener = batch((records) -> {
            int index = indexOf(records, "4");
            if (index >= 0 && failuresLeft.get(0) > 0) {
                failuresLeft.set(0, failuresLeft.get(0) - 1);
                throw new BatchListenerFailedException("4 failed", new IllegalStateException("boom"), index);
            }
        });
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.RECORD, 3, DeliveryOptions.DEFAULTS),
                listener);
        processor.processRecords(records(1, 6), checkpointer);
        assertThat(calls).containsExactly(List.of("1", "2", "3", "4", "5", "6"), List.of("4", "5", "6"),
                List.of("4", "5", "6"));
        assertThat(checkpointer.checkpoints).containsExactly("3", "6");
        assertThat(recovered).isEmpty();
    }

    @Test
    void aPartialFailureByRecordCountsAttemptsForThatRecordAndRecoversItWithTheCause() {
        IllegalStateException cause = new IllegalStateException("3 is bad");
        KinesisBatchListener listener = batch((records) -> {
            for (KinesisRecord record : records) {
                if (record.sequenceNumber().equals("3")) {
                    throw new BatchListenerFailedException("failed", cause, record);
                }
            }
        });
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, 2, DeliveryOptions.DEFAULTS),
                listener);
        processor.processRecords(records(1, 5), checkpointer);
        assertThat(calls).containsExactly(List.of("1", "2", "3", "4", "5"), List.of("3", "4", "5"),
                List.of("4", "5"));
        assertThat(recovered).containsExactly("3");
        assertThat(recoveredFailures).containsExactly(cause);
        assertThat(checkpointer.checkpoints).containsExactly("5");
    }

    @Test
    void aRecordTheBatchDoesNotHoldMakesTheWholeBatchFail() {
        KinesisBatchListener listener = batch((records) -> {
            throw new BatchListenerFailedException("failed", 99);
        });
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, 2, DeliveryOptions.DEFAULTS),
                listener);
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(calls).containsExactly(List.of("1", "2", "3"), List.of("1", "2", "3"));
        assertThat(recovered).containsExactly("1", "2", "3");
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    @Test
    void bisectingIsolatesTwoPoisonRecordsAndOnlyADeliveryAloneCountsAttempts() {
        Set<String> poison = Set.of("3", "6");
        KinesisBatchListener listener = batch((records) -> {
            if (records.stream().anyMatch(record -> poison.contains(record.sequenceNumber()))) {
                throw new IllegalArgumentException("poison in " + records.size());
            }
        });
        ListenerRecordProcessor processor = processor(
                settings(CheckpointMode.BATCH, 2, new DeliveryOptions(true, null, null)), listener);
        processor.processRecords(records(1, 8), checkpointer);
        assertThat(calls).containsExactly(List.of("1", "2", "3", "4", "5", "6", "7", "8"), List.of("1", "2", "3", "4"),
                List.of("1", "2"), List.of("3", "4"), List.of("3"), List.of("3"), List.of("4"),
                List.of("5", "6", "7", "8"), List.of("5", "6"), List.of("5"), List.of("6"), List.of("6"),
                List.of("7", "8"));
        assertThat(recovered).containsExactly("3", "6");
        assertThat(recoveredFailures).extracting(Throwable::getMessage).containsExactly("poison in 1", "poison in 1");
        assertThat(checkpointer.checkpoints).containsExactly("8");
    }

    @Test
    void bisectingWithOneAttemptRecoversEachIsolatedRecordAtOnceAndRecordModeCheckpointsAsPartsFinish() {
        KinesisBatchListener listener = batch((records) -> {
            if (indexOf(records, "2") >= 0) {
                throw new IllegalArgumentException("poison");
            }
        });
        ListenerRecordProcessor processor = processor(
                settings(CheckpointMode.RECORD, 1, new DeliveryOptions(true, null, null)), listener);
        processor.processRecords(records(1, 4), checkpointer);
        assertThat(calls).containsExactly(List.of("1", "2", "3", "4"), List.of("1", "2"), List.of("1"), List.of("2"),
                List.of("3", "4"));
        assertThat(recovered).containsExactly("2");
        assertThat(checkpointer.checkpoints).containsExactly("1", "2", "4");
    }

    @Test
    void recordsOlderThanTheMaximumAgeGoToTheRecovererAsExpiredInsteadOfTheListener() {
        Instant old = Instant.now().minus(Duration.ofHours(2));
        List<KinesisRecord> records = List.of(record("1", 0, old), record("2", 0, old), record("3", 0, Instant.now()));
        List<String> seen = new CopyOnWriteArrayList<>();
        KinesisRecordListener listener = (record, metadata, cp) -> seen.add(record.sequenceNumber());
        ListenerRecordProcessor processor = processor(
                settings(CheckpointMode.RECORD, 3, new DeliveryOptions(false, Duration.ofHours(1), null)), listener);
        processor.processRecords(records, checkpointer);
        assertThat(seen).containsExactly("3");
        assertThat(recovered).containsExactly("1", "2");
        assertThat(recoveredFailures).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(RecordExpiredException.class).hasMessageContaining("older than the maximum record age"));
        assertThat(checkpointer.checkpoints).containsExactly("1", "2", "3");
    }

    @Test
    void expiredRecordsLeaveABatchBeforeTheListenerSeesIt() {
        Instant old = Instant.now().minus(Duration.ofHours(2));
        List<KinesisRecord> records = List.of(record("1", 0, old), record("2", 0, Instant.now()),
                record("3", 0, Instant.now()));
        ListenerRecordProcessor processor = processor(
                settings(CheckpointMode.BATCH, 3, new DeliveryOptions(false, Duration.ofHours(1), null)),
                batch((batch) -> {
                }));
        processor.processRecords(records, checkpointer);
        assertThat(calls).containsExactly(List.of("2", "3"));
        assertThat(recovered).containsExactly("1");
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    @Test
    void filteredRecordsAreDoneOutOfOrderAndTheCheckpointFollowsTheWatermark() {
        List<String> seen = new CopyOnWriteArrayList<>();
        KinesisRecordListener listener = (record, metadata, cp) -> {
            seen.add(record.sequenceNumber());
            // Filtered records 2 and 4 are done before 1 is delivered: no checkpoint may pass 1 before it is done.
            assertThat(checkpointer.checkpoints).doesNotContain(record.sequenceNumber());
        };
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.RECORD, 3,
                new DeliveryOptions(false, null, new ExpressionRecordFilter("!data.endsWith('2') and !data.endsWith('4')"))),
                listener);
        processor.processRecords(records(1, 5), checkpointer);
        assertThat(seen).containsExactly("1", "3", "5");
        assertThat(checkpointer.checkpoints).containsExactly("2", "4", "5");
    }

    @Test
    void aBatchWhoseRecordsAreAllFilteredIsDoneWithoutACall() {
        KinesisRecordFilterStrategy none = (record, metadata) -> false;
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, 3,
                new DeliveryOptions(false, null, none)), batch((records) -> {
                }));
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(calls).isEmpty();
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    @Test
    void aFilterThatThrowsKeepsTheRecord() {
        KinesisRecordFilterStrategy broken = (record, metadata) -> {
            if (record.sequenceNumber().equals("2")) {
                throw new IllegalStateException("filter bug");
            }
            return false;
        };
        ListenerRecordProcessor processor = processor(settings(CheckpointMode.BATCH, 3,
                new DeliveryOptions(false, null, broken)), batch((records) -> {
                }));
        processor.processRecords(records(1, 3), checkpointer);
        assertThat(calls).containsExactly(List.of("2"));
        assertThat(checkpointer.checkpoints).containsExactly("3");
    }

    @Test
    void kplSubRecordsAreCheckpointedOneByOneAndNeverPastOneThatFailed() {
        Instant now = Instant.now();
        List<KinesisRecord> records = List.of(record("7", 0, now), record("7", 1, now), record("7", 2, now));
        KinesisRecordListener listener = (record, metadata, cp) -> {
            if (record.subSequenceNumber() == 2) {
                throw new IllegalStateException("sub-record 2 fails");
            }
        };
        ListenerRecordProcessor processor = processor(new KinesisListenerSettings("listener", "app", "stream", false,
                CheckpointMode.RECORD, Duration.ofSeconds(10), true, 1, new FixedBackOff(1, 10), ExhaustedAction.STOP,
                recoverer, null, DeliveryOptions.DEFAULTS), listener);
        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> processor.processRecords(records, checkpointer));
        assertThat(checkpointer.checkpoints).containsExactly("7", "7/1");
        assertThat(recovered).isEmpty();
    }

    // --- support ---

    private ListenerRecordProcessor processor(KinesisListenerSettings given, KinesisMessageListener listener) {
        boolean batch = listener instanceof KinesisBatchListener;
        KinesisListenerSettings settings = new KinesisListenerSettings(given.id(), given.applicationName(),
                given.stream(), batch, given.checkpointMode(), given.checkpointInterval(), given.autoStartup(),
                given.maxAttempts(), given.backOff(), given.exhaustedAction(), given.recoverer(), given.retrieval(),
                given.delivery());
        KinesisListenerContainer container = new KinesisListenerContainer(settings, listener);
        container.markRunning();
        ListenerRecordProcessor processor = (ListenerRecordProcessor) container.createProcessor("stream");
        processor.initialize("shardId-000000000000");
        return processor;
    }

    private KinesisListenerSettings settings(CheckpointMode mode, int maxAttempts, DeliveryOptions options) {
        return new KinesisListenerSettings("listener", "app", "stream", true, mode, Duration.ofSeconds(10), true,
                maxAttempts, new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS), ExhaustedAction.RECOVER, recoverer,
                null, options);
    }

    private KinesisBatchListener batch(BatchAction action) {
        return (records, metadata, cp) -> {
            calls.add(records.stream().map(KinesisRecord::sequenceNumber).toList());
            action.accept(records);
        };
    }

    private static int indexOf(List<KinesisRecord> records, String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    private static String position(KinesisRecord record) {
        return record.aggregated() ? record.sequenceNumber() + "/" + record.subSequenceNumber()
                : record.sequenceNumber();
    }

    private static List<KinesisRecord> records(int from, int to) {
        List<KinesisRecord> records = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            records.add(record(String.valueOf(i), 0, Instant.now()));
        }
        return records;
    }

    private static KinesisRecord record(String sequenceNumber, long sub, Instant arrival) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequenceNumber)
                .subSequenceNumber(sub).aggregated(sequenceNumber.equals("7")).partitionKey("pk")
                .approximateArrivalTimestamp(arrival)
                .data(("payload-" + sequenceNumber).getBytes(StandardCharsets.UTF_8)).build();
    }

    @FunctionalInterface
    interface BatchAction {

        void accept(List<KinesisRecord> records) throws Exception;
    }
}
