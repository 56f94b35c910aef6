package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.Worker;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * Two listeners on two streams in one application: one worker, one lease table with {@code stream:shardId} keys,
 * each listener receives its own stream's records and each stream is checkpointed.
 */
@SpringBootTest(classes = TwoStreamsIT.App.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoStreamsIT extends ListenerIntegrationTest {

    static final String application = LocalKinesis.uniqueName("app");

    static final StreamFixture orders = new StreamFixture(application, 1);

    static final StreamFixture payments = new StreamFixture(application, 2);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.application-name", () -> application);
        registry.add("test.orders", () -> orders.stream);
        registry.add("test.payments", () -> payments.stream);
    }

    @Autowired
    Listeners listeners;

    @Autowired
    ApplicationContext context;

    @Test
    @Order(1)
    void eachListenerGetsItsStream() {
        for (int i = 1; i <= 5; i++) {
            orders.put("o" + i, "order-" + i);
            payments.put("p" + i, "payment-" + i);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(listeners.orders).containsExactlyInAnyOrder("order-1", "order-2", "order-3", "order-4",
                    "order-5");
            assertThat(listeners.payments).containsExactlyInAnyOrder("payment-1", "payment-2", "payment-3",
                    "payment-4", "payment-5");
        });
        Worker worker = context.getBean(Worker.class);
        assertThat(worker.config().streams()).containsExactlyInAnyOrder(orders.stream, payments.stream);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> checkpoints = orders.checkpoints();
            orders.lastSequencePerShard().forEach((shard, sequence) -> assertThat(checkpoints)
                    .containsEntry(orders.stream + ":" + shard, sequence));
            payments.lastSequencePerShard().forEach((shard, sequence) -> assertThat(checkpoints)
                    .containsEntry(payments.stream + ":" + shard, sequence));
        });
    }

    @Test
    @Order(2)
    void stoppingOneListenerReleasesItsStreamsLeasesAndTheOtherGoesOn() {
        KinesisListenerEndpointRegistry registry = context.getBean(KinesisListenerEndpointRegistry.class);
        Worker worker = context.getBean(Worker.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> worker.leases().size() == 3);
        String paymentsId = registry.getListenerContainerIds().stream().filter(id -> id.endsWith("onPayment"))
                .findFirst().orElseThrow();

        registry.stop(paymentsId);
        LeaseTable table = new DynamoDbLeaseTable(orders.local.dynamoDbClient(), application);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(table.listLeases())
                .filteredOn(lease -> lease.leaseKey().startsWith(payments.stream + ":"))
                .hasSize(2).allSatisfy(lease -> assertThat(lease.isFree()).isTrue()));
        orders.put("o9", "order-9");
        payments.put("p9", "payment-9");
        await().atMost(Duration.ofSeconds(60)).until(() -> listeners.orders.contains("order-9"));
        assertThat(listeners.payments).doesNotContain("payment-9");

        registry.start(paymentsId);
        await().atMost(Duration.ofSeconds(60)).until(() -> listeners.payments.contains("payment-9"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listeners listeners() {
            return new Listeners();
        }
    }

    static class Listeners {

        final List<String> orders = new CopyOnWriteArrayList<>();

        final List<String> payments = new CopyOnWriteArrayList<>();

        @KinesisListener(stream = "${test.orders}")
        void onOrder(String payload) {
            orders.add(payload);
        }

        @KinesisListener(stream = "${test.payments}")
        void onPayment(byte[] payload) {
            payments.add(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
