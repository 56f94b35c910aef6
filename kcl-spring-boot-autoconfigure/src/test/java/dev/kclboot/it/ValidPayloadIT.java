package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Payload @Valid} with Boot's validator: the records that fail validation reach the recoverer at once (no
 * retries, although they are unlimited) with their sequence numbers, the valid ones reach the listener, each exactly
 * once, and the checkpoint passes them all. The recoverer is named by the annotation and defined after the listener
 * bean, whose bean it takes in its constructor: it can only be resolved once every singleton exists (Boot forbids
 * circular references, so resolving it while the listener bean is initialized fails the startup).
 */
@SpringBootTest(classes = ValidPayloadIT.App.class)
class ValidPayloadIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Orders orders;

    @Autowired
    InvalidOrders invalid;

    @Test
    void invalidPayloadsGoToTheRecovererWithTheirSequenceNumbersAndValidOnesToTheListener() {
        List<Order> sent = List.of(new Order("v-1", 1), new Order("v-2", -2), new Order("v-3", 3),
                new Order(" ", 4), new Order("v-5", 5));
        sent.forEach(fixture::put);
        List<Order> valid = List.of(sent.get(0), sent.get(2), sent.get(4));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(orders.received).hasSize(valid.size());
            assertThat(invalid.sequenceNumbers).hasSize(2);
        });
        assertThat(orders.received).containsExactlyElementsOf(valid.stream().map(ValidOrder::of).toList());
        assertThat(invalid.sequenceNumbers).containsExactly(fixture.sequenceOf(sent.get(1)),
                fixture.sequenceOf(sent.get(3)));
        assertThat(invalid.payloads).containsExactly(sent.get(1).json(), sent.get(3).json());
        assertThat(invalid.failures).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(PayloadConversionException.class).hasCauseInstanceOf(MethodArgumentNotValidException.class));
        assertThat(invalid.listenerSeen).isSameAs(orders);
        Order last = sent.get(sent.size() - 1);
        String shard = fixture.written.get(last.json()).shardId();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf(last).equals(fixture.checkpointOf(shard)));
        assertThat(orders.received).hasSize(valid.size());
        assertThat(invalid.sequenceNumbers).hasSize(2);
    }

    /** The order as the listener validates it. */
    record ValidOrder(@NotBlank String id, @Min(0) int amount) {

        static ValidOrder of(Order order) {
            return new ValidOrder(order.id(), order.amount());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Orders orders() {
            return new Orders();
        }

        /** Defined after the listener, and needs it: resolvable only once the listener bean is complete. */
        @Bean
        InvalidOrders invalidOrders(Orders orders) {
            return new InvalidOrders(orders);
        }
    }

    static class Orders {

        final List<ValidOrder> received = new CopyOnWriteArrayList<>();

        @KinesisListener(recoverer = "invalidOrders")
        void onOrder(@Payload @Valid ValidOrder order) {
            received.add(order);
        }
    }

    static class InvalidOrders implements KinesisRecordRecoverer {

        final Orders listenerSeen;

        final List<String> sequenceNumbers = new CopyOnWriteArrayList<>();

        final List<String> payloads = new CopyOnWriteArrayList<>();

        final List<Exception> failures = new CopyOnWriteArrayList<>();

        InvalidOrders(Orders listenerSeen) {
            this.listenerSeen = listenerSeen;
        }

        @Override
        public void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) {
            sequenceNumbers.add(metadata.sequenceNumber());
            payloads.add(new String(record.dataBytes(), StandardCharsets.UTF_8));
            failures.add(failure);
        }
    }
}
