package dev.kclboot.spring.listener.container;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.delivery.ListenerRecordProcessor;
import dev.kclboot.spring.listener.delivery.RecordsNotProcessedException;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener containers' meters, driven through {@link ListenerRecordProcessor} without an engine: what each
 * failure, retry, recovery and stop counts, with which tags.
 */
class KinesisListenerMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final RecordingCheckpointer checkpointer = new RecordingCheckpointer();

    private final AtomicInteger recovererCalls = new AtomicInteger();

    @Test
    void aRecordThatFailsTwiceCountsTwoFailuresAndTwoRetries() {
        AtomicInteger attempts = new AtomicInteger();
        processor(settings(5, ExhaustedAction.RECOVER, false), (KinesisRecordListener) (record, metadata, cp) -> {
            if (record.sequenceNumber().equals("2") && attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("boom");
            }
        }).processRecords(records(3), checkpointer);
        assertThat(count(KinesisListenerMetrics.LISTENER_FAILURES)).isEqualTo(2);
        assertThat(count(KinesisListenerMetrics.LISTENER_RETRIES)).isEqualTo(2);
        assertThat(count(KinesisListenerMetrics.RECORDS_RECOVERED)).isZero();
        Counter retries = registry.get(KinesisListenerMetrics.LISTENER_RETRIES).counter();
        assertThat(retries.getId().getTag("application")).isEqualTo("app");
        assertThat(retries.getId().getTag("stream")).isEqualTo("orders");
        assertThat(retries.getId().getTag("shard")).isEqualTo("shardId-000000000007");
        assertThat(retries.getId().getTag("listener")).isEqualTo("orders-listener");
    }

    @Test
    void anExhaustedRecordIsCountedAsRecoveredAndARecovererFailureIsCounted() {
        AtomicInteger recovererAttempts = new AtomicInteger();
        KinesisRecordRecoverer flakyRecoverer = (record, metadata, failure) -> {
            recovererCalls.incrementAndGet();
            if (recovererAttempts.incrementAndGet() == 1) {
                throw new IllegalStateException("dead-letter queue unavailable");
            }
        };
        processor(settings(3, ExhaustedAction.RECOVER, false, flakyRecoverer),
                (KinesisRecordListener) (record, metadata, cp) -> {
                    if (record.sequenceNumber().equals("1")) {
                        throw new IllegalStateException("poison");
                    }
                }).processRecords(records(2), checkpointer);
        assertThat(count(KinesisListenerMetrics.LISTENER_FAILURES)).isEqualTo(3);
        assertThat(count(KinesisListenerMetrics.LISTENER_RETRIES)).isEqualTo(2);
        assertThat(count(KinesisListenerMetrics.RECOVERER_FAILURES)).isEqualTo(1);
        assertThat(registry.get(KinesisListenerMetrics.RECORDS_RECOVERED).tag("reason", "exhausted").counter().count())
                .isEqualTo(1);
        assertThat(checkpointer.checkpoints).containsExactly("2");
    }

    @Test
    void aPayloadThatCannotBeConvertedIsRecoveredAtOnceWithReasonConversion() {
        processor(settings(5, ExhaustedAction.RECOVER, false), (KinesisRecordListener) (record, metadata, cp) -> {
            if (record.sequenceNumber().equals("2")) {
                throw new PayloadConversionException(record, "not JSON", new RuntimeException());
            }
        }).processRecords(records(3), checkpointer);
        assertThat(count(KinesisListenerMetrics.LISTENER_FAILURES)).isEqualTo(1);
        assertThat(count(KinesisListenerMetrics.LISTENER_RETRIES)).isZero();
        assertThat(registry.get(KinesisListenerMetrics.RECORDS_RECOVERED).tag("reason", "conversion").counter()
                .count()).isEqualTo(1);
        assertThat(recovererCalls).hasValue(1);
    }

    @Test
    void aFailingBatchCountsOncePerCallAndEachRecordWhenRecovered() {
        processor(settings(2, ExhaustedAction.RECOVER, true), (KinesisBatchListener) (records, metadata, cp) -> {
            throw new IllegalStateException("batch failed");
        }).processRecords(records(3), checkpointer);
        assertThat(count(KinesisListenerMetrics.LISTENER_FAILURES)).isEqualTo(2);
        assertThat(count(KinesisListenerMetrics.LISTENER_RETRIES)).isEqualTo(1);
        assertThat(count(KinesisListenerMetrics.RECORDS_RECOVERED)).isEqualTo(3);
    }

    @Test
    void stoppingOnAnExhaustedRecordIsCountedAndRemembered() {
        KinesisListenerContainer[] container = new KinesisListenerContainer[1];
        ListenerRecordProcessor processor = processor(settings(1, ExhaustedAction.STOP, false),
                (KinesisRecordListener) (record, metadata, cp) -> {
                    throw new IllegalStateException("poison");
                }, container);
        try {
            processor.processRecords(records(1), checkpointer);
        }
        catch (RecordsNotProcessedException expected) {
            // The container stops; the batch is not done.
        }
        assertThat(count(KinesisListenerMetrics.LISTENER_STOPS)).isEqualTo(1);
        assertThat(count(KinesisListenerMetrics.RECORDS_RECOVERED)).isZero();
        assertThat(container[0].getStopFailure()).contains("record 1 of shard shardId-000000000007")
                .contains("poison");
    }

    @Test
    void withoutARegistryNothingIsRecorded() {
        KinesisListenerContainer container = new KinesisListenerContainer(settings(2, ExhaustedAction.RECOVER, false),
                (KinesisRecordListener) (record, metadata, cp) -> {
                    throw new IllegalStateException("boom");
                });
        assertThat(container.getMetrics()).isSameAs(KinesisListenerMetrics.NONE);
        container.markRunning();
        ListenerRecordProcessor processor = (ListenerRecordProcessor) container.createProcessor("orders");
        processor.initialize("shardId-000000000007");
        processor.processRecords(records(1), checkpointer);
        assertThat(registry.getMeters()).isEmpty();
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private ListenerRecordProcessor processor(KinesisListenerSettings settings, KinesisMessageListener listener) {
        return processor(settings, listener, new KinesisListenerContainer[1]);
    }

    private ListenerRecordProcessor processor(KinesisListenerSettings settings, KinesisMessageListener listener,
            KinesisListenerContainer[] holder) {
        KinesisListenerContainer container = new KinesisListenerContainer(settings, listener,
                new KinesisListenerMetrics(registry));
        holder[0] = container;
        container.markRunning();
        ListenerRecordProcessor processor = (ListenerRecordProcessor) container.createProcessor("orders");
        processor.initialize("shardId-000000000007");
        return processor;
    }

    private KinesisListenerSettings settings(int maxAttempts, ExhaustedAction action, boolean batch) {
        return settings(maxAttempts, action, batch, (record, metadata, failure) -> recovererCalls.incrementAndGet());
    }

    private static KinesisListenerSettings settings(int maxAttempts, ExhaustedAction action, boolean batch,
            KinesisRecordRecoverer recoverer) {
        return new KinesisListenerSettings("orders-listener", "app", "orders", batch, CheckpointMode.BATCH,
                Duration.ofSeconds(10), true, maxAttempts, new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS),
                action, recoverer);
    }

    private static List<KinesisRecord> records(int count) {
        List<KinesisRecord> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            records.add(KinesisRecord.builder().shardId("shardId-000000000007").sequenceNumber(String.valueOf(i))
                    .partitionKey("pk").data(("payload-" + i).getBytes(StandardCharsets.UTF_8)).build());
        }
        return records;
    }
}
