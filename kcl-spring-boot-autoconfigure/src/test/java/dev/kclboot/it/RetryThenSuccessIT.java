package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.kclboot.spring.annotation.KinesisListener;
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
 * A listener fails twice on one record, then succeeds: the record is processed, the records after it too, and while
 * it fails the checkpoint in the lease table is not at or past it (the listener itself reads the table on each
 * failure); it moves past only afterwards.
 */
@SpringBootTest(classes = RetryThenSuccessIT.App.class)
class RetryThenSuccessIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Flaky flaky;

    @Test
    void theRecordIsProcessedAfterTwoFailuresAndTheCheckpointMovesOnlyAfterwards() {
        List<Order> sent = IntStream.rangeClosed(1, 5).mapToObj(i -> new Order("f-" + i, i)).toList();
        sent.forEach(fixture::put);
        String failingSequence = fixture.sequenceOf(sent.get(2));
        String shard = fixture.written.get(sent.get(4).json()).shardId();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(flaky.processed)
                .containsExactlyElementsOf(sent));
        assertThat(flaky.attempts.get("f-3")).hasValue(3);
        assertThat(flaky.checkpointsWhileFailing).hasSize(2);
        for (String checkpoint : flaky.checkpointsWhileFailing) {
            assertThat(StreamFixture.atOrAfter(checkpoint, failingSequence))
                    .as("checkpoint %s while record %s fails", checkpoint, failingSequence).isFalse();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf(sent.get(4)).equals(fixture.checkpointOf(shard)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Flaky flaky() {
            return new Flaky();
        }
    }

    static class Flaky {

        final List<Order> processed = new CopyOnWriteArrayList<>();

        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        final List<String> checkpointsWhileFailing = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onOrder(Order order) {
            int attempt = attempts.computeIfAbsent(order.id(), id -> new AtomicInteger()).incrementAndGet();
            if (order.id().equals("f-3") && attempt <= 2) {
                checkpointsWhileFailing.add(String.valueOf(fixture.checkpoints().values().stream().findFirst()
                        .orElse("none")));
                throw new IllegalStateException("downstream unavailable (attempt " + attempt + ")");
            }
            processed.add(order);
        }
    }
}
