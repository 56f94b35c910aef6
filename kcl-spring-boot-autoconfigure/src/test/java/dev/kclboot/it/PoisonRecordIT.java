package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record that always fails reaches the recoverer bean named on the listener after maxAttempts, with its sequence
 * number and the listener's exception; the records after it are processed and the checkpoint passes it.
 */
@SpringBootTest(classes = PoisonRecordIT.App.class)
class PoisonRecordIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Listener listener;

    @Autowired
    DeadLetters deadLetters;

    @Test
    void thePoisonRecordReachesTheRecovererAndLaterRecordsGoOn() {
        List<Order> sent = IntStream.rangeClosed(1, 5).mapToObj(i -> new Order("p-" + i, i)).toList();
        sent.forEach(fixture::put);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(listener.processed)
                .containsExactly(sent.get(0), sent.get(2), sent.get(3), sent.get(4)));
        assertThat(deadLetters.metadata).hasSize(1);
        assertThat(deadLetters.metadata.get(0).sequenceNumber()).isEqualTo(fixture.sequenceOf(sent.get(1)));
        assertThat(deadLetters.metadata.get(0).streamName()).isEqualTo(fixture.stream);
        assertThat(deadLetters.records.get(0).sequenceNumber()).isEqualTo(fixture.sequenceOf(sent.get(1)));
        assertThat(deadLetters.failures.get(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poison p-2");
        assertThat(listener.poisonAttempts).hasValue(3);
        String shard = fixture.written.get(sent.get(4).json()).shardId();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf(sent.get(4)).equals(fixture.checkpointOf(shard)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listener listener() {
            return new Listener();
        }

        @Bean
        DeadLetters deadLetters() {
            return new DeadLetters();
        }
    }

    static class Listener {

        final List<Order> processed = new CopyOnWriteArrayList<>();

        final AtomicInteger poisonAttempts = new AtomicInteger();

        @KinesisListener(maxAttempts = "3", recoverer = "deadLetters")
        void onOrder(Order order) {
            if (order.id().equals("p-2")) {
                poisonAttempts.incrementAndGet();
                throw new IllegalArgumentException("poison " + order.id());
            }
            processed.add(order);
        }
    }

    static class DeadLetters implements KinesisRecordRecoverer {

        final List<KinesisRecord> records = new CopyOnWriteArrayList<>();

        final List<KinesisRecordMetadata> metadata = new CopyOnWriteArrayList<>();

        final List<Exception> failures = new CopyOnWriteArrayList<>();

        @Override
        public void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) {
            records.add(record);
            this.metadata.add(metadata);
            failures.add(failure);
        }
    }
}
