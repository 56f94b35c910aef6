package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import dev.kclboot.spring.listener.recovery.RecordExpiredException;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code maxRecordAge}: records older than the limit when they come up for delivery (written long enough before the
 * application started) and a record that keeps failing until it is too old go to the recoverer as expired, never (or
 * no longer) to the listener; counted with reason {@code expired}; the checkpoint passes them, and a restarted
 * application delivers only what came after.
 */
class MaxRecordAgeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Long enough that a fresh record reaches the listener well within it, even on a busy machine. */
    private static final Duration MAX_AGE = Duration.ofSeconds(8);

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH", "PERIODIC" })
    void oldRecordsAndARecordFailingUntilItIsTooOldAreRecoveredAsExpired(CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        fixture.put("pk", "old-1");
        fixture.put("pk", "old-2");
        Instant written = Instant.now();
        String shard = fixture.written.get("old-1").shardId();
        // Not a timing assertion: the records must be older than the limit before the application starts.
        await().atMost(WAIT).until(() -> Instant.now().isAfter(written.plus(MAX_AGE).plusSeconds(1)));
        try (ConfigurableApplicationContext context = start(fixture, mode)) {
            Received received = context.getBean(Received.class);
            Recovered recovered = context.getBean(Recovered.class);
            await().atMost(WAIT).until(() -> recovered.payloads.size() >= 2);
            fixture.put("pk", "new-1");
            fixture.put("pk", "poison");
            await().atMost(WAIT).until(() -> recovered.payloads.size() >= 3);
            fixture.put("pk", "new-2");
            await().atMost(WAIT).until(() -> received.payloads.contains("new-2"));
            assertThat(recovered.payloads).containsExactly("old-1", "old-2", "poison");
            assertThat(recovered.failures).allSatisfy(failure -> assertThat(failure)
                    .isInstanceOf(RecordExpiredException.class));
            assertThat(received.payloads).startsWith("new-1", "poison").endsWith("poison", "new-2")
                    .doesNotContain("old-1", "old-2");
            assertThat(received.payloads.stream().filter(p -> !p.equals("poison")).toList())
                    .containsExactly("new-1", "new-2");
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_RECOVERED, "reason", "expired")).isEqualTo(3.0);
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_RECOVERED)).isEqualTo(3.0);
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("new-2"));
        fixture.put("pk", "new-3");
        try (ConfigurableApplicationContext context = start(fixture, mode)) {
            Received received = context.getBean(Received.class);
            await().atMost(WAIT).until(() -> received.payloads.contains("new-3"));
            assertThat(received.payloads).containsExactly("new-3");
            assertThat(context.getBean(Recovered.class).payloads).isEmpty();
        }
    }

    private static ConfigurableApplicationContext start(StreamFixture fixture, CheckpointMode mode) {
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application,
                "kcl.checkpoint.mode=" + mode, "test.max-age=" + MAX_AGE.toSeconds() + "s");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Received received() {
            return new Received();
        }

        @Bean
        Recovered recovered() {
            return new Recovered();
        }
    }

    /** Fails on "poison" without a limit of attempts: only its age ends the retries. */
    static class Received {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener(maxRecordAge = "${test.max-age}")
        void onRecord(String payload) {
            payloads.add(payload);
            if (payload.equals("poison")) {
                throw new IllegalStateException("poison");
            }
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
