package dev.kclboot.it;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.support.KinesisHeaders;
import dev.kclboot.test.kpl.KplAggregate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener method taking a {@code Message<Order>} and every {@link KinesisHeaders} header receives each record put
 * with the values Kinesis gave it: shard and sequence number from the put's response, the partition key the producer
 * set, the sub-sequence number and explicit hash key of KPL user records (a plain record has sub-sequence 0 and no
 * explicit hash key: Kinesis does not return it), and the arrival time of the record read.
 */
@SpringBootTest(classes = MessagingListenerIT.App.class)
class MessagingListenerIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(2);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Orders orders;

    @Test
    void theMessageAndEachHeaderCarryTheRecordsValues() {
        Instant before = Instant.now();
        List<Expected> expected = new ArrayList<>();
        for (Order order : List.of(new Order("m-1", 1), new Order("m-2", 2))) {
            // Kinesis returns no explicit hash key for a plain record (it only routes it): the header is absent.
            PutRecordResponse put = fixture.local.kinesisClient().putRecord(request -> request
                    .streamName(fixture.stream).partitionKey(order.id()).explicitHashKey(hashKeyOf(order.amount()))
                    .data(SdkBytes.fromString(order.json(), StandardCharsets.UTF_8)));
            expected.add(new Expected(order, put, 0, order.id(), null));
        }
        // A KPL aggregate carries each user record's partition key and explicit hash key (both in the range of the
        // shard the aggregate lands on: the engine drops user records that belong to another shard, as the KCL does).
        List<Order> aggregated = List.of(new Order("k-1", 3), new Order("k-2", 5));
        KplAggregate.Builder builder = KplAggregate.builder();
        aggregated.forEach(order -> builder.add(order.id(), hashKeyOf(order.amount()),
                order.json().getBytes(StandardCharsets.UTF_8)));
        KplAggregate aggregate = builder.build();
        PutRecordResponse aggregatePut = fixture.local.kinesisClient().putRecord(request -> request
                .streamName(fixture.stream).partitionKey(aggregate.partitionKey())
                .explicitHashKey(aggregate.explicitHashKey()).data(SdkBytes.fromByteArray(aggregate.bytes())));
        for (int index = 0; index < aggregated.size(); index++) {
            Order order = aggregated.get(index);
            expected.add(new Expected(order, aggregatePut, index, order.id(), hashKeyOf(order.amount())));
        }
        Instant after = Instant.now();
        await().atMost(Duration.ofSeconds(60)).until(() -> orders.received.size() >= expected.size());
        assertThat(orders.received).hasSize(expected.size());
        for (Expected want : expected) {
            Received received = orders.received.stream()
                    .filter(r -> r.message().getPayload().equals(want.order())).findFirst().orElseThrow();
            assertThat(received.stream()).isEqualTo(fixture.stream);
            assertThat(received.shardId()).isEqualTo(want.put().shardId());
            assertThat(received.sequenceNumber()).isEqualTo(want.put().sequenceNumber());
            assertThat(received.subSequenceNumber()).isEqualTo(want.subSequenceNumber());
            assertThat(received.partitionKey()).isEqualTo(want.partitionKey());
            assertThat(received.explicitHashKey()).isEqualTo(want.explicitHashKey())
                    .isEqualTo(received.record().explicitHashKey());
            assertThat(received.arrival()).isEqualTo(received.record().approximateArrivalTimestamp())
                    .isBetween(before.minusSeconds(1), after.plusSeconds(1));
            assertThat(received.record().sequenceNumber()).isEqualTo(want.put().sequenceNumber());
            assertThat(received.metadata()).isEqualTo(KinesisRecordMetadata.of(fixture.stream, received.record()));
            assertThat(received.message().getHeaders().get(KinesisHeaders.SEQUENCE_NUMBER))
                    .isEqualTo(want.put().sequenceNumber());
            assertThat(received.message().getHeaders().get(KinesisHeaders.SHARD_ID)).isEqualTo(want.put().shardId());
            assertThat(received.message().getHeaders()).doesNotContainKey(KinesisHeaders.CHECKPOINTER);
        }
    }

    /** Odd amounts to the upper shard of the two: a two-shard stream's hash key range splits at 2^127. */
    private static String hashKeyOf(int amount) {
        return (amount % 2 == 0) ? BigInteger.valueOf(amount).toString()
                : BigInteger.TWO.pow(127).add(BigInteger.valueOf(amount)).toString();
    }

    record Expected(Order order, PutRecordResponse put, long subSequenceNumber, String partitionKey,
            @Nullable String explicitHashKey) {
    }

    record Received(Message<Order> message, String stream, String shardId, String sequenceNumber,
            long subSequenceNumber, String partitionKey, @Nullable String explicitHashKey, @Nullable Instant arrival,
            KinesisRecord record, KinesisRecordMetadata metadata) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class Orders {

        final List<Received> received = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onOrder(Message<Order> message, @Header(KinesisHeaders.STREAM) String stream,
                @Header(KinesisHeaders.SHARD_ID) String shardId,
                @Header(KinesisHeaders.SEQUENCE_NUMBER) String sequenceNumber,
                @Header(KinesisHeaders.SUB_SEQUENCE_NUMBER) long subSequenceNumber,
                @Header(KinesisHeaders.PARTITION_KEY) String partitionKey,
                @Header(name = KinesisHeaders.EXPLICIT_HASH_KEY, required = false) @Nullable String explicitHashKey,
                @Header(name = KinesisHeaders.ARRIVAL_TIME, required = false) @Nullable Instant arrival,
                @Header(KinesisHeaders.RECORD) KinesisRecord record, KinesisRecordMetadata metadata) {
            received.add(new Received(message, stream, shardId, sequenceNumber, subSequenceNumber, partitionKey,
                    explicitHashKey, arrival, record, metadata));
        }
    }
}
