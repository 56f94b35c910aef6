package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
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
 * A batch listener with {@code List<Order>}: the thirty records written before the application starts arrive in
 * order, in batches of more than one, with their metadata, and the shard is checkpointed at the last one.
 */
@SpringBootTest(classes = BatchListenerIT.App.class)
class BatchListenerIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    static final List<Order> sent = IntStream.rangeClosed(1, 30).mapToObj(i -> new Order("b-" + i, i)).toList();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        sent.forEach(fixture::put);
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Listener listener;

    @Test
    void receivesListsOfPojos() {
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.orders.size() >= 30);
        assertThat(listener.orders).containsExactlyElementsOf(sent);
        assertThat(listener.batchSizes).anySatisfy(size -> assertThat(size).isGreaterThan(1));
        assertThat(listener.metadata).extracting(KinesisRecordMetadata::sequenceNumber)
                .containsExactlyElementsOf(sent.stream().map(fixture::sequenceOf).toList());
        String shard = fixture.written.get(sent.get(29).json()).shardId();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf(sent.get(29)).equals(fixture.checkpointOf(shard)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    static class Listener {

        final List<Order> orders = new CopyOnWriteArrayList<>();

        final List<KinesisRecordMetadata> metadata = new CopyOnWriteArrayList<>();

        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @KinesisListener(batch = "true")
        void onOrders(List<Order> orders, List<KinesisRecordMetadata> metadata) {
            batchSizes.add(orders.size());
            this.orders.addAll(orders);
            this.metadata.addAll(metadata);
        }
    }
}
