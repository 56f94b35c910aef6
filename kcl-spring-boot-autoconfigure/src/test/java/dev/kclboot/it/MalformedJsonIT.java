package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
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
 * A record that is not JSON reaches the recoverer (the application's only recoverer bean) at once, with the
 * conversion error, although retries are unlimited: it is neither retried nor handed to the listener.
 */
@SpringBootTest(classes = MalformedJsonIT.App.class)
class MalformedJsonIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Listener listener;

    @Autowired
    Recovered recovered;

    @Test
    void malformedJsonGoesToTheRecovererWithoutRetries() {
        Order first = new Order("j-1", 1);
        Order last = new Order("j-3", 3);
        fixture.put(first);
        fixture.put("j-2", "{\"id\": \"j-2\", amount: oops");
        fixture.put(last);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(listener.processed)
                .containsExactly(first, last));
        assertThat(listener.calls).hasValue(2);
        assertThat(recovered.payloads).containsExactly("{\"id\": \"j-2\", amount: oops");
        assertThat(recovered.failures).singleElement().isInstanceOf(PayloadConversionException.class);
        String shard = fixture.written.get(last.json()).shardId();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf(last).equals(fixture.checkpointOf(shard)));
        assertThat(recovered.payloads).hasSize(1);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listener listener() {
            return new Listener();
        }

        @Bean
        Recovered recovered() {
            return new Recovered();
        }

        @Bean
        KinesisRecordRecoverer recoverer(Recovered recovered) {
            return (record, metadata, failure) -> {
                recovered.payloads.add(new String(record.dataBytes(), StandardCharsets.UTF_8));
                recovered.failures.add(failure);
            };
        }
    }

    static class Recovered {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        final List<Exception> failures = new CopyOnWriteArrayList<>();
    }

    static class Listener {

        final List<Order> processed = new CopyOnWriteArrayList<>();

        final AtomicInteger calls = new AtomicInteger();

        @KinesisListener
        void onOrder(Order order) {
            calls.incrementAndGet();
            processed.add(order);
        }
    }
}
