package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.test.kpl.KplAggregate;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7 through Spring: KPL aggregated records written to kinesis-local reach {@code @KinesisListener} methods as
 * user records (POJO and String payloads, with their own partition keys and sub-sequence numbers), and an application
 * that checkpointed in the middle of an aggregate resumes, after a restart, at the next user record of that aggregate.
 */
class KplAggregationListenerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aggregatedRecordsReachAPojoListenerAsUserRecords() {
        StreamFixture fixture = new StreamFixture(1);
        List<Order> first = List.of(new Order("a-1", 1), new Order("a-2", 2), new Order("a-3", 3));
        List<Order> second = List.of(new Order("b-1", 4), new Order("b-2", 5));
        String firstSequence = putAggregate(fixture, first);
        String secondSequence = putAggregate(fixture, second);
        fixture.put(new Order("plain", 6));
        try (ConfigurableApplicationContext context = start(PojoApp.class, fixture)) {
            Orders orders = context.getBean(Orders.class);
            await().atMost(WAIT).until(() -> orders.received.size() >= 6);
            assertThat(orders.received).containsExactly(new Order("a-1", 1), new Order("a-2", 2),
                    new Order("a-3", 3), new Order("b-1", 4), new Order("b-2", 5), new Order("plain", 6));
            assertThat(orders.records).extracting(KinesisRecord::partitionKey)
                    .containsExactly("a-1", "a-2", "a-3", "b-1", "b-2", "plain");
            assertThat(orders.records).extracting(KinesisRecord::sequenceNumber).containsExactly(firstSequence,
                    firstSequence, firstSequence, secondSequence, secondSequence, fixture.sequenceOf("{\"id\":\"plain\",\"amount\":6}"));
            assertThat(orders.records).extracting(KinesisRecord::subSequenceNumber)
                    .containsExactly(0L, 1L, 2L, 0L, 1L, 0L);
            assertThat(orders.records).extracting(KinesisRecord::aggregated)
                    .containsExactly(true, true, true, true, true, false);
            assertThat(orders.metadata).extracting(KinesisRecordMetadata::subSequenceNumber)
                    .containsExactly(0L, 1L, 2L, 0L, 1L, 0L);
            // The engine counts user records, not Kinesis records.
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> meters.count(EngineMetrics.RECORDS_PROCESSED) >= 6);
            assertThat(meters.count(EngineMetrics.RECORDS_PROCESSED)).isEqualTo(6.0);
            // BATCH mode checkpoints the last user record done: here the plain record after the aggregates.
            String shard = fixture.written.values().iterator().next().shardId();
            String plainSequence = fixture.sequenceOf("{\"id\":\"plain\",\"amount\":6}");
            await().atMost(WAIT).until(() -> plainSequence.equals(fixture.checkpointOf(shard)));
        }
    }

    @Test
    void aRestartAfterAMidAggregateCheckpointResumesAtTheNextUserRecord() {
        StreamFixture fixture = new StreamFixture(1);
        KplAggregate aggregate = KplAggregate.builder().add("k0", "u0").add("k1", "u1").add("k2", "u2")
                .add("k3", "u3").add("k4", "u4").build();
        String aggregateSequence = fixture.local.kinesisClient().putRecord(request -> request
                .streamName(fixture.stream).partitionKey(aggregate.partitionKey())
                .data(SdkBytes.fromByteArray(aggregate.bytes()))).sequenceNumber();
        fixture.put("plain", "plain-1");
        String shard = fixture.written.get("plain-1").shardId();

        // First instance: checkpoints (MANUAL) at the third user record of the aggregate only, then stops.
        try (ConfigurableApplicationContext context = start(ManualApp.class, fixture, "test.checkpoint-at=2")) {
            Received received = context.getBean(Received.class);
            await().atMost(WAIT).until(() -> received.payloads.size() >= 6);
            assertThat(received.payloads).containsExactly("u0", "u1", "u2", "u3", "u4", "plain-1");
            assertThat(received.records).extracting(KinesisRecord::subSequenceNumber)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 0L);
            await().atMost(WAIT).until(() -> aggregateSequence.equals(fixture.checkpointOf(shard)));
            assertThat(checkpointSubSequenceNumber(fixture, shard)).isEqualTo("2");
        }
        // The graceful stop in MANUAL mode does not move the checkpoint.
        assertThat(fixture.checkpointOf(shard)).isEqualTo(aggregateSequence);
        assertThat(checkpointSubSequenceNumber(fixture, shard)).isEqualTo("2");
        fixture.put("plain", "plain-2");

        // Second instance of the same application: sub-records 3 and 4, then the records after the aggregate.
        try (ConfigurableApplicationContext context = start(ManualApp.class, fixture)) {
            Received received = context.getBean(Received.class);
            await().atMost(WAIT).until(() -> received.payloads.contains("plain-2"));
            assertThat(received.payloads).containsExactly("u3", "u4", "plain-1", "plain-2");
            assertThat(received.records).extracting(KinesisRecord::sequenceNumber).startsWith(aggregateSequence,
                    aggregateSequence);
            assertThat(received.records).extracting(KinesisRecord::subSequenceNumber)
                    .containsExactly(3L, 4L, 0L, 0L);
            assertThat(received.records).extracting(KinesisRecord::partitionKey)
                    .containsExactly("k3", "k4", "plain", "plain");
        }
    }

    private static String putAggregate(StreamFixture fixture, List<Order> orders) {
        KplAggregate.Builder builder = KplAggregate.builder();
        orders.forEach(order -> builder.add(order.id(), order.json()));
        KplAggregate aggregate = builder.build();
        PutRecordResponse response = fixture.local.kinesisClient().putRecord(request -> request
                .streamName(fixture.stream).partitionKey(aggregate.partitionKey())
                .data(SdkBytes.fromByteArray(aggregate.bytes())));
        return response.sequenceNumber();
    }

    private static String checkpointSubSequenceNumber(StreamFixture fixture, String shard) {
        Map<String, AttributeValue> item = fixture.local.dynamoDbClient().getItem(request -> request
                .tableName(fixture.application).key(Map.of("leaseKey", AttributeValue.fromS(shard))).consistentRead(true))
                .item();
        AttributeValue sub = item.get("checkpointSubSequenceNumber");
        return sub == null ? null : sub.n();
    }


    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class PojoApp {

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class Orders {

        final List<Order> received = new CopyOnWriteArrayList<>();

        final List<KinesisRecord> records = new CopyOnWriteArrayList<>();

        final List<KinesisRecordMetadata> metadata = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onOrder(Order order, KinesisRecord record, KinesisRecordMetadata metadata) {
            received.add(order);
            records.add(record);
            this.metadata.add(metadata);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ManualApp {

        @Bean
        Received received(@Value("${test.checkpoint-at:-1}") long checkpointAt) {
            return new Received(checkpointAt);
        }
    }

    /** Collects String payloads; checkpoints at the aggregated user record with the given sub-sequence number. */
    static class Received {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        final List<KinesisRecord> records = new CopyOnWriteArrayList<>();

        private final long checkpointAt;

        Received(long checkpointAt) {
            this.checkpointAt = checkpointAt;
        }

        @KinesisListener(checkpointMode = "MANUAL")
        void onRecord(String payload, KinesisRecord record, Checkpointer checkpointer) {
            payloads.add(payload);
            records.add(record);
            if (record.aggregated() && record.subSequenceNumber() == checkpointAt) {
                checkpointer.checkpoint();
            }
        }
    }

    private static ConfigurableApplicationContext start(Class<?> app, StreamFixture fixture, String... extra) {
        return TestApplications.run(app, fixture.local, fixture.stream, fixture.application, extra);
    }
}
