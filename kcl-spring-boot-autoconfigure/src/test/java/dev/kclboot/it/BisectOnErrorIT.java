package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bisectOnError}: a failing batch is split in halves until the poison records are alone; the others are done
 * exactly once, each poison record is delivered alone exactly maxAttempts times and then recovered. Without a limit,
 * a stop while the poison record is retried leaves the checkpoint right before it (every checkpoint mode) and a
 * restarted application delivers exactly the records from it on.
 */
class BisectOnErrorIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH", "PERIODIC" })
    void twoPoisonRecordsAmongTwentyAreIsolatedAndRecoveredAndTheOthersAreDoneOnce(CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        List<String> sent = put(fixture, "b", 20);
        String shard = fixture.written.get("b-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, "kcl.checkpoint.mode=" + mode,
                "test.poison=b-7,b-15", "kcl.retry.max-attempts=2")) {
            Batches batches = context.getBean(Batches.class);
            Recovered recovered = context.getBean(Recovered.class);
            await().atMost(WAIT).until(() -> batches.succeeded.contains("b-20"));
            assertThat(recovered.payloads).containsExactly("b-7", "b-15");
            assertThat(recovered.failures).extracting(Throwable::getMessage).containsExactly("poison b-7",
                    "poison b-15");
            List<String> others = new ArrayList<>(sent);
            others.removeAll(List.of("b-7", "b-15"));
            assertThat(batches.succeeded).containsExactlyElementsOf(others);
            assertThat(batches.aloneCalls("b-7")).isEqualTo(2);
            assertThat(batches.aloneCalls("b-15")).isEqualTo(2);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_RECOVERED, "reason", "exhausted")).isEqualTo(2.0);
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("b-20"));
    }

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH", "PERIODIC" })
    void aStopWhileTheIsolatedRecordIsRetriedKeepsTheCheckpointBeforeItAndARestartResumesThere(CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        List<String> sent = put(fixture, "c", 12);
        String shard = fixture.written.get("c-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, "kcl.checkpoint.mode=" + mode,
                "test.poison=c-5")) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.aloneCalls("c-5") >= 3);
            assertThat(batches.succeeded).containsExactlyElementsOf(sent.subList(0, 4));
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("c-4"));
        try (ConfigurableApplicationContext context = start(fixture, "kcl.checkpoint.mode=" + mode)) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.succeeded.contains("c-12"));
            assertThat(batches.succeeded).containsExactlyElementsOf(sent.subList(4, 12));
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("c-12"));
    }

    private static List<String> put(StreamFixture fixture, String prefix, int count) {
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sent.add(prefix + "-" + i);
            fixture.put("pk", prefix + "-" + i);
        }
        return sent;
    }

    private static ConfigurableApplicationContext start(StreamFixture fixture, String... properties) {
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application, properties);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Batches batches(@Value("${test.poison:}") String poison) {
            return new Batches(Set.copyOf(Arrays.stream(poison.split(",")).filter(p -> !p.isBlank()).toList()));
        }

        @Bean
        Recovered recovered() {
            return new Recovered();
        }
    }

    /** A batch listener that fails every call holding a poison record. */
    static class Batches {

        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        /** The payloads of the calls that succeeded, in order (each call's records once). */
        final List<String> succeeded = new CopyOnWriteArrayList<>();

        private final Set<String> poison;

        Batches(Set<String> poison) {
            this.poison = poison;
        }

        @KinesisListener(batch = "true", bisectOnError = "true")
        void onBatch(List<String> payloads) {
            calls.add(List.copyOf(payloads));
            for (String payload : payloads) {
                if (poison.contains(payload)) {
                    throw new IllegalArgumentException("poison " + payload);
                }
            }
            succeeded.addAll(payloads);
        }

        long aloneCalls(String payload) {
            return calls.stream().filter(call -> call.equals(List.of(payload))).count();
        }
    }

    static class Recovered implements KinesisRecordRecoverer {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        final List<Exception> failures = new CopyOnWriteArrayList<>();

        @Override
        public void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) {
            payloads.add(new String(record.dataBytes(), StandardCharsets.UTF_8));
            failures.add(failure);
        }
    }
}
