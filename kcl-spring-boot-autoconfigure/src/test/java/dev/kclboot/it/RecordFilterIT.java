package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code filter}: a SpEL expression on a record listener and a {@code KinesisRecordFilterStrategy} bean on a batch
 * listener; filtered records never reach the listener, are counted, and count as done: the checkpoint passes them
 * (the last record written is a filtered one), and a restarted application delivers none of them again.
 */
class RecordFilterIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH", "PERIODIC" })
    void aSpelFilterKeepsRecordsFromARecordListenerAndTheCheckpointPassesThem(CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        fixture.put("keep", "k-1");
        fixture.put("test", "t-1");
        fixture.put("keep", "k-2");
        fixture.put("test", "t-2");
        String shard = fixture.written.get("k-1").shardId();
        try (ConfigurableApplicationContext context = start(SpelApp.class, fixture, mode)) {
            Records records = context.getBean(Records.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> meters.count(KinesisListenerMetrics.RECORDS_FILTERED) >= 2);
            await().atMost(WAIT).until(() -> records.payloads.contains("k-2"));
            assertThat(records.payloads).containsExactly("k-1", "k-2");
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_FILTERED)).isEqualTo(2.0);
        }
        // The last record written was filtered: done, so the checkpoint passed it (PERIODIC at the stop).
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("t-2"));
        fixture.put("keep", "k-3");
        try (ConfigurableApplicationContext context = start(SpelApp.class, fixture, mode)) {
            Records records = context.getBean(Records.class);
            await().atMost(WAIT).until(() -> records.payloads.contains("k-3"));
            assertThat(records.payloads).containsExactly("k-3");
        }
    }

    @Test
    void aFilterBeanKeepsRecordsFromABatchListener() {
        StreamFixture fixture = new StreamFixture(1);
        for (int i = 1; i <= 6; i++) {
            fixture.put("pk", ((i % 3 == 0) ? "ping-" : "order-") + i);
        }
        String shard = fixture.written.get("order-1").shardId();
        try (ConfigurableApplicationContext context = start(BeanApp.class, fixture, CheckpointMode.BATCH)) {
            Batches batches = context.getBean(Batches.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> fixture.sequenceOf("ping-6").equals(fixture.checkpointOf(shard)));
            assertThat(batches.payloads).containsExactly("order-1", "order-2", "order-4", "order-5");
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_FILTERED)).isEqualTo(2.0);
        }
    }

    private static ConfigurableApplicationContext start(Class<?> app, StreamFixture fixture, CheckpointMode mode) {
        return TestApplications.run(app, fixture.local, fixture.stream, fixture.application,
                "kcl.checkpoint.mode=" + mode);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class SpelApp {

        @Bean
        Records records() {
            return new Records();
        }
    }

    static class Records {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener(filter = "partitionKey == 'keep' and data.startsWith('k-')")
        void onRecord(String payload) {
            payloads.add(payload);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BeanApp {

        @Bean
        Batches batches() {
            return new Batches();
        }

        @Bean
        KinesisRecordFilterStrategy noPings() {
            return (KinesisRecord record, KinesisRecordMetadata metadata) -> !new String(record.dataBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).startsWith("ping-");
        }
    }

    static class Batches {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener(batch = "true", filter = "noPings")
        void onBatch(List<String> batch) {
            payloads.addAll(batch);
        }
    }
}
