package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.kclboot.core.Worker;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A POJO listener on a two-shard stream receives every record with its metadata, and the lease table ends with the
 * last sequence number of each shard as its checkpoint.
 */
@SpringBootTest(classes = PojoListenerIT.App.class)
class PojoListenerIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(2);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Orders orders;

    @Autowired
    ApplicationContext context;

    @Test
    void receivesEveryRecordAndCheckpointsEachShard() {
        List<Order> sent = IntStream.rangeClosed(1, 20).mapToObj(i -> new Order("o-" + i, i)).toList();
        sent.forEach(fixture::put);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(orders.received)
                .containsExactlyInAnyOrderElementsOf(sent));
        assertThat(orders.metadata).extracting(KinesisRecordMetadata::sequenceNumber)
                .containsExactlyInAnyOrderElementsOf(fixture.written.values().stream()
                        .map(response -> response.sequenceNumber()).toList());
        for (KinesisRecordMetadata metadata : orders.metadata) {
            assertThat(metadata.streamName()).isEqualTo(fixture.stream);
            assertThat(metadata.partitionKey()).startsWith("o-");
            assertThat(metadata.shardId()).startsWith("shardId-");
            assertThat(metadata.approximateArrivalTimestamp()).isNotNull();
        }
        Map<String, String> expected = fixture.lastSequencePerShard();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.checkpoints())
                .containsAllEntriesOf(expected));
        assertThat(context.getBeansOfType(Worker.class)).hasSize(1);
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

        final List<Order> received = new CopyOnWriteArrayList<>();

        final List<KinesisRecordMetadata> metadata = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onOrder(Order order, KinesisRecordMetadata metadata) {
            received.add(order);
            this.metadata.add(metadata);
        }
    }
}
