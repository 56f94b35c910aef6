package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The options together on one batch listener, in every checkpoint mode: a filter, bisecting, a retry limit and the
 * dead-letter stream. Filtered records never reach the listener, the poison records are isolated and land on the
 * dead-letter stream exactly once each, every other record succeeds exactly once, the checkpoint after the stop is the
 * last record, and a restarted application delivers only what came after.
 */
class CombinedFailureHandlingIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH", "PERIODIC" })
    void filterBisectRetriesAndTheDeadLetterStreamTogether(CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        String deadLetters = fixture.local.createStream(1);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            String payload = (i % 4 == 0) ? "skip-" + i : (i == 6 || i == 11) ? "poison-" + i : "ok-" + i;
            fixture.put("pk-" + i, payload);
            if (payload.startsWith("ok-")) {
                expected.add(payload);
            }
        }
        String shard = fixture.written.get("ok-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, deadLetters, mode)) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.succeeded.contains("ok-15"));
            assertThat(batches.succeeded).containsExactlyElementsOf(expected);
            assertThat(batches.calls.stream().flatMap(List::stream)).noneMatch(p -> p.startsWith("skip-"));
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_FILTERED)).isEqualTo(4.0);
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_RECOVERED, "reason", "exhausted")).isEqualTo(2.0);
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("skip-16"));
        List<Record> published = readAll(fixture.local.kinesisClient(), deadLetters);
        assertThat(published).extracting(Record::partitionKey).containsExactly("pk-6", "pk-11");
        JsonMapper json = new JsonMapper();
        assertThat(published).extracting(record -> new String(Base64.getDecoder().decode(json.readTree(
                record.data().asUtf8String()).get("data").asString()), StandardCharsets.UTF_8))
                .containsExactly("poison-6", "poison-11");
        fixture.put("pk-17", "ok-17");
        try (ConfigurableApplicationContext context = start(fixture, deadLetters, mode)) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.succeeded.contains("ok-17"));
            assertThat(batches.calls).containsExactly(List.of("ok-17"));
        }
        assertThat(readAll(fixture.local.kinesisClient(), deadLetters)).hasSize(2);
    }

    private static List<Record> readAll(KinesisClient kinesis, String stream) {
        List<Record> records = new ArrayList<>();
        String shardId = kinesis.listShards(request -> request.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(request -> request.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        for (int read = 0; read < 3 && iterator != null; read++) {
            String current = iterator;
            var response = kinesis.getRecords(request -> request.shardIterator(current));
            records.addAll(response.records());
            iterator = response.nextShardIterator();
        }
        return records;
    }

    private static ConfigurableApplicationContext start(StreamFixture fixture, String deadLetters,
            CheckpointMode mode) {
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application,
                "kcl.checkpoint.mode=" + mode, "kcl.dead-letter.stream=" + deadLetters, "kcl.retry.max-attempts=2",
                "kcl.retry.bisect-on-error=true");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Batches batches() {
            return new Batches();
        }
    }

    static class Batches {

        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        final List<String> succeeded = new CopyOnWriteArrayList<>();

        @KinesisListener(batch = "true", filter = "!data.startsWith('skip-')")
        void onBatch(List<String> payloads) {
            calls.add(List.copyOf(payloads));
            if (payloads.stream().anyMatch(payload -> payload.startsWith("poison-"))) {
                throw new IllegalStateException("poison in " + payloads);
            }
            succeeded.addAll(payloads);
        }
    }
}
