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
import dev.kclboot.spring.listener.recovery.KinesisDeadLetterPublishingRecoverer;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kcl.dead-letter.stream}: the auto-configured {@link KinesisDeadLetterPublishingRecoverer} writes exactly the
 * exhausted records to the dead-letter stream (read back: the envelope's data, the same partition key, the source
 * position and the exception). While the dead-letter stream is missing nothing is published and the source
 * checkpoint stays before the record; once the stream exists the record is published and the checkpoint passes it.
 */
class DeadLetterStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final JsonMapper json = new JsonMapper();

    @Test
    void theDeadLetterStreamReceivesExactlyTheExhaustedRecords() {
        StreamFixture fixture = new StreamFixture(1);
        String deadLetters = fixture.local.createStream(1);
        for (int i = 1; i <= 5; i++) {
            fixture.put("key-" + i, "d-" + i);
        }
        String shard = fixture.written.get("d-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, deadLetters, "test.fail=d-2,d-4")) {
            assertThat(context.getBean(KinesisDeadLetterPublishingRecoverer.class).getStream()).isEqualTo(deadLetters);
            Received received = context.getBean(Received.class);
            await().atMost(WAIT).until(() -> fixture.sequenceOf("d-5").equals(fixture.checkpointOf(shard)));
            assertThat(received.payloads).containsExactly("d-1", "d-2", "d-2", "d-3", "d-4", "d-4", "d-5");
        }
        List<Record> published = readAll(fixture.local.kinesisClient(), deadLetters);
        assertThat(published).extracting(Record::partitionKey).containsExactly("key-2", "key-4");
        for (int i = 0; i < 2; i++) {
            String payload = List.of("d-2", "d-4").get(i);
            JsonNode envelope = json.readTree(published.get(i).data().asUtf8String());
            assertThat(new String(Base64.getDecoder().decode(envelope.get("data").asString()), StandardCharsets.UTF_8))
                    .isEqualTo(payload);
            assertThat(envelope.get("version").asInt()).isEqualTo(1);
            assertThat(envelope.get("reason").asString()).isEqualTo("exhausted");
            assertThat(envelope.get("stream").asString()).isEqualTo(fixture.stream);
            assertThat(envelope.get("shardId").asString()).isEqualTo(shard);
            assertThat(envelope.get("sequenceNumber").asString()).isEqualTo(fixture.sequenceOf(payload));
            assertThat(envelope.get("subSequenceNumber").asLong()).isZero();
            assertThat(envelope.get("partitionKey").asString()).isEqualTo(published.get(i).partitionKey());
            assertThat(envelope.get("approximateArrivalTimestamp").isNull()).isFalse();
            assertThat(envelope.get("exception").get("class").asString()).isEqualTo("java.lang.IllegalStateException");
            assertThat(envelope.get("exception").get("message").asString()).isEqualTo("bad " + payload);
        }
    }

    @Test
    void aMissingDeadLetterStreamKeepsTheSourceCheckpointBeforeTheRecordUntilItCanBePublished() {
        StreamFixture fixture = new StreamFixture(1);
        String deadLetters = LocalKinesis.uniqueName("dlq");
        fixture.put("key-1", "m-1");
        fixture.put("key-2", "m-2");
        fixture.put("key-3", "m-3");
        String shard = fixture.written.get("m-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, deadLetters, "test.fail=m-2",
                "kcl.retry.max-attempts=1", "kcl.dead-letter.max-attempts=1")) {
            Received received = context.getBean(Received.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> meters.count(KinesisListenerMetrics.RECOVERER_FAILURES) >= 3);
            assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("m-1"));
            assertThat(received.payloads).containsExactly("m-1", "m-2");
            fixture.local.createStream(deadLetters, 1);
            await().atMost(WAIT).until(() -> fixture.sequenceOf("m-3").equals(fixture.checkpointOf(shard)));
            assertThat(received.payloads).containsExactly("m-1", "m-2", "m-3");
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_RECOVERED, "reason", "exhausted")).isEqualTo(1.0);
        }
        List<Record> published = readAll(fixture.local.kinesisClient(), deadLetters);
        assertThat(published).extracting(Record::partitionKey).containsExactly("key-2");
        JsonNode envelope = json.readTree(published.get(0).data().asUtf8String());
        assertThat(envelope.get("sequenceNumber").asString()).isEqualTo(fixture.sequenceOf("m-2"));
    }

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH", "PERIODIC" })
    void aStopWhileTheDeadLetterStreamIsMissingKeepsTheCheckpointBeforeTheRecordAndARestartPublishesItOnce(
            CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        String deadLetters = LocalKinesis.uniqueName("dlq");
        fixture.put("key-1", "s-1");
        fixture.put("key-2", "s-2");
        fixture.put("key-3", "s-3");
        String shard = fixture.written.get("s-1").shardId();
        String[] properties = { "kcl.checkpoint.mode=" + mode, "test.fail=s-2", "kcl.retry.max-attempts=1",
                "kcl.dead-letter.max-attempts=1" };
        try (ConfigurableApplicationContext context = start(fixture, deadLetters, properties)) {
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> meters.count(KinesisListenerMetrics.RECOVERER_FAILURES) >= 2);
            assertThat(context.getBean(Received.class).payloads).containsExactly("s-1", "s-2");
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("s-1"));
        fixture.local.createStream(deadLetters, 1);
        try (ConfigurableApplicationContext context = start(fixture, deadLetters, properties)) {
            Received received = context.getBean(Received.class);
            await().atMost(WAIT).until(() -> received.payloads.contains("s-3"));
            // s-2 is delivered again (its one attempt), then published; s-1 is not delivered again.
            assertThat(received.payloads).containsExactly("s-2", "s-3");
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("s-3"));
        List<Record> published = readAll(fixture.local.kinesisClient(), deadLetters);
        assertThat(published).extracting(Record::partitionKey).containsExactly("key-2");
    }

    private static List<Record> readAll(KinesisClient kinesis, String stream) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(request -> request.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(request -> request.streamName(stream)
                    .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            // Two reads: kinesis-local may answer the first with an empty page.
            for (int read = 0; read < 3 && iterator != null; read++) {
                String current = iterator;
                var response = kinesis.getRecords(request -> request.shardIterator(current));
                records.addAll(response.records());
                iterator = response.nextShardIterator();
            }
        }
        return records;
    }

    private static ConfigurableApplicationContext start(StreamFixture fixture, String deadLetters,
            String... properties) {
        List<String> all = new ArrayList<>(List.of("kcl.dead-letter.stream=" + deadLetters,
                "kcl.checkpoint.mode=RECORD", "kcl.retry.max-attempts=2"));
        all.addAll(List.of(properties));
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application,
                all.toArray(String[]::new));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Received received(org.springframework.core.env.Environment environment) {
            return new Received(List.of(environment.getProperty("test.fail", "").split(",")));
        }
    }

    static class Received {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        private final List<String> failing;

        Received(List<String> failing) {
            this.failing = failing;
        }

        @KinesisListener
        void onRecord(String payload) {
            payloads.add(payload);
            if (failing.contains(payload)) {
                throw new IllegalStateException("bad " + payload);
            }
        }
    }
}
