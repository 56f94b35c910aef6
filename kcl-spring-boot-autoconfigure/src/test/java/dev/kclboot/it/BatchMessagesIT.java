package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.support.KinesisHeaders;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch listener with {@code @Valid List<Message<Order>>} and the batch's list headers: written before the
 * application starts, the records arrive in batches; each message carries its record's sequence number, the
 * {@code SEQUENCE_NUMBER} header lists them in the same order, and the one record that fails validation goes to the
 * recoverer (with its sequence number) while the others of its batch reach the listener, each exactly once.
 */
@SpringBootTest(classes = BatchMessagesIT.App.class, properties = "kcl.polling.max-records=10")
class BatchMessagesIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    static final List<Order> sent = java.util.stream.IntStream.rangeClosed(1, 25)
            .mapToObj(i -> new Order("b-" + i, (i == 7) ? -7 : i)).toList();

    static {
        sent.forEach(fixture::put);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Batches batches;

    @Autowired
    Invalid invalid;

    @Test
    void messagesCarryTheirRecordsAndTheInvalidOneIsRecovered() {
        List<Order> valid = sent.stream().filter(order -> order.amount() >= 0).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> batches.orders.size() >= valid.size());
        assertThat(batches.orders).containsExactlyElementsOf(valid.stream().map(BatchOrder::of).toList());
        assertThat(batches.messageSequenceNumbers).containsExactlyElementsOf(
                valid.stream().map(fixture::sequenceOf).toList());
        assertThat(batches.headerSequenceNumbers).containsExactlyElementsOf(batches.messageSequenceNumbers);
        assertThat(batches.batchSizes).anySatisfy(size -> assertThat(size).isGreaterThan(1));
        assertThat(invalid.sequenceNumbers).containsExactly(fixture.sequenceOf(sent.get(6)));
        Order last = sent.get(sent.size() - 1);
        String shard = fixture.written.get(last.json()).shardId();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf(last).equals(fixture.checkpointOf(shard)));
        assertThat(batches.orders).hasSize(valid.size());
        assertThat(invalid.sequenceNumbers).hasSize(1);
    }

    record BatchOrder(String id, @Min(0) int amount) {

        static BatchOrder of(Order order) {
            return new BatchOrder(order.id(), order.amount());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Batches batches() {
            return new Batches();
        }

        @Bean
        Invalid invalid() {
            return new Invalid();
        }
    }

    static class Batches {

        final List<BatchOrder> orders = new CopyOnWriteArrayList<>();

        final List<String> messageSequenceNumbers = new CopyOnWriteArrayList<>();

        final List<String> headerSequenceNumbers = new CopyOnWriteArrayList<>();

        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @KinesisListener(batch = "true")
        void onBatch(@Valid List<Message<BatchOrder>> messages,
                @Header(KinesisHeaders.SEQUENCE_NUMBER) List<String> sequenceNumbers,
                @Header(KinesisHeaders.SHARD_ID) String shardId) {
            batchSizes.add(messages.size());
            for (Message<BatchOrder> message : messages) {
                orders.add(message.getPayload());
                messageSequenceNumbers.add((String) message.getHeaders().get(KinesisHeaders.SEQUENCE_NUMBER));
                assertThat(message.getHeaders().get(KinesisHeaders.SHARD_ID)).isEqualTo(shardId);
            }
            headerSequenceNumbers.addAll(sequenceNumbers);
        }
    }

    static class Invalid implements KinesisRecordRecoverer {

        final List<String> sequenceNumbers = new CopyOnWriteArrayList<>();

        @Override
        public void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) {
            sequenceNumbers.add(metadata.sequenceNumber());
        }
    }
}
