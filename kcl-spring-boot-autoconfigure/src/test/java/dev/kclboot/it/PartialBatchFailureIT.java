package dev.kclboot.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.BatchListenerFailedException;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.test.kpl.KplAggregate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partial batch failures (Lambda's ReportBatchItemFailures): a batch listener throws
 * {@link BatchListenerFailedException} naming the failed record; the records before it are done, the checkpoint stops
 * right before it in every checkpoint mode (read from the lease table after a stop), and a restarted application
 * delivers exactly the records from it on, KPL user records included (the checkpoint holds the sub-sequence number
 * before the failed one). Named by record, with maxAttempts, it goes to the recoverer with its cause.
 */
class PartialBatchFailureIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH", "PERIODIC" })
    void theCheckpointStaysRightBeforeTheReportedRecordAndARestartResumesThere(CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        List<String> sent = put(fixture, "r", 10);
        String shard = fixture.written.get("r-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, "kcl.checkpoint.mode=" + mode,
                "test.fail-at=r-6")) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.callsStartingWith("r-6") >= 3);
            // Done exactly once each: the records before r-6, in order; every later call starts at r-6.
            assertThat(batches.doneBefore("r-6")).containsExactlyElementsOf(sent.subList(0, 5));
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("r-5"));
        try (ConfigurableApplicationContext context = start(fixture, "kcl.checkpoint.mode=" + mode)) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.received().contains("r-10"));
            assertThat(batches.received()).containsExactlyElementsOf(sent.subList(5, 10));
        }
        // PERIODIC writes its checkpoint as records complete once the interval passed, or at the stop.
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("r-10"));
    }

    @Test
    void aRecordNamedByItselfIsRetriedFromThereAndRecoveredWithItsCauseAfterMaxAttempts() {
        StreamFixture fixture = new StreamFixture(1);
        List<String> sent = put(fixture, "q", 8);
        String shard = fixture.written.get("q-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, "test.fail-at=q-4", "test.by-record=true",
                "kcl.retry.max-attempts=3")) {
            Batches batches = context.getBean(Batches.class);
            Recovered recovered = context.getBean(Recovered.class);
            await().atMost(WAIT).until(() -> fixture.sequenceOf("q-8").equals(fixture.checkpointOf(shard)));
            assertThat(recovered.payloads).containsExactly("q-4");
            assertThat(recovered.failures).singleElement().satisfies(failure -> assertThat(failure)
                    .isInstanceOf(IllegalStateException.class).hasMessage("bad q-4"));
            assertThat(batches.callsStartingWith("q-4")).isEqualTo(2);
            List<String> done = new ArrayList<>(sent);
            done.remove("q-4");
            assertThat(batches.doneBefore("q-4")).containsExactlyElementsOf(done);
        }
        fixture.put("pk", "q-9");
        try (ConfigurableApplicationContext context = start(fixture)) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.received().contains("q-9"));
            assertThat(batches.received()).containsExactly("q-9");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CheckpointMode.class, names = { "RECORD", "BATCH" })
    void aFailedKplUserRecordKeepsTheCheckpointAtTheSubRecordBeforeIt(CheckpointMode mode) {
        StreamFixture fixture = new StreamFixture(1);
        KplAggregate aggregate = KplAggregate.builder().add("k0", "u0").add("k1", "u1").add("k2", "u2")
                .add("k3", "u3").add("k4", "u4").build();
        String aggregateSequence = fixture.local.kinesisClient().putRecord(request -> request
                .streamName(fixture.stream).partitionKey(aggregate.partitionKey())
                .data(SdkBytes.fromByteArray(aggregate.bytes()))).sequenceNumber();
        fixture.put("plain", "plain-1");
        String shard = fixture.written.get("plain-1").shardId();
        try (ConfigurableApplicationContext context = start(fixture, "kcl.checkpoint.mode=" + mode,
                "test.fail-at=u3")) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.callsStartingWith("u3") >= 2);
            assertThat(batches.doneBefore("u3")).containsExactly("u0", "u1", "u2");
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(aggregateSequence);
        assertThat(checkpointSubSequenceNumber(fixture, shard)).isEqualTo("2");
        try (ConfigurableApplicationContext context = start(fixture, "kcl.checkpoint.mode=" + mode)) {
            Batches batches = context.getBean(Batches.class);
            await().atMost(WAIT).until(() -> batches.received().contains("plain-1"));
            assertThat(batches.received()).containsExactly("u3", "u4", "plain-1");
        }
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("plain-1"));
    }

    private static String checkpointSubSequenceNumber(StreamFixture fixture, String shard) {
        Map<String, AttributeValue> item = fixture.local.dynamoDbClient().getItem(request -> request
                .tableName(fixture.application).key(Map.of("leaseKey", AttributeValue.fromS(shard)))
                .consistentRead(true)).item();
        AttributeValue sub = item.get("checkpointSubSequenceNumber");
        return (sub == null) ? null : sub.n();
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
        Batches batches(@Value("${test.fail-at:}") String failAt, @Value("${test.by-record:false}") boolean byRecord) {
            return new Batches(failAt, byRecord);
        }

        @Bean
        Recovered recovered() {
            return new Recovered();
        }
    }

    /** A batch listener that reports the record {@code test.fail-at} as failed (by index, or by record). */
    static class Batches {

        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        private final String failAt;

        private final boolean byRecord;

        Batches(String failAt, boolean byRecord) {
            this.failAt = failAt;
            this.byRecord = byRecord;
        }

        @KinesisListener(batch = "true")
        void onBatch(List<String> payloads, List<KinesisRecord> records) {
            calls.add(List.copyOf(payloads));
            int index = payloads.indexOf(failAt);
            if (index >= 0) {
                IllegalStateException cause = new IllegalStateException("bad " + failAt);
                throw byRecord ? new BatchListenerFailedException("failed", cause, records.get(index))
                        : new BatchListenerFailedException("failed", cause, index);
            }
        }

        /** Every payload received, in order, duplicates included. */
        List<String> received() {
            return calls.stream().flatMap(List::stream).toList();
        }

        /** The payloads each call finished: all of a call without the failing record, else those before it. */
        List<String> doneBefore(String failing) {
            List<String> done = new ArrayList<>();
            for (List<String> call : calls) {
                int index = call.indexOf(failing);
                done.addAll((index < 0) ? call : call.subList(0, index));
            }
            return done;
        }

        long callsStartingWith(String payload) {
            return calls.stream().filter(call -> !call.isEmpty() && call.get(0).equals(payload)).count();
        }
    }

    static class Recovered implements KinesisRecordRecoverer {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        final List<Exception> failures = new CopyOnWriteArrayList<>();

        @Override
        public void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) {
            payloads.add(new String(record.dataBytes(), java.nio.charset.StandardCharsets.UTF_8));
            failures.add(failure);
        }
    }
}
