package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.kclboot.core.Worker;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leases of listeners with a concurrency above 1 change hands without duplicates: while records keep arriving, a
 * second application joins one that holds every lease and takes half of them through the graceful handoff, then
 * leaves gracefully; the owner that lets a lease go first finishes the records in flight (every key's) and
 * checkpoints the watermark, so with RECORD checkpoints no record is delivered twice and each key stays in order
 * across the owners.
 */
class ConcurrentListenerRebalancingIT {

    /** Every delivery of both applications, in the order the listener calls ended: "app payload". */
    static final List<String> deliveries = new CopyOnWriteArrayList<>();

    private final StreamFixture fixture = new StreamFixture(4);

    @Test
    void aSecondApplicationJoiningAndLeavingCausesNoDuplicate() throws Exception {
        List<String> written = new CopyOnWriteArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            int round = 0;
            while (producing.get()) {
                for (int key = 0; key < 16; key++) {
                    String payload = "k" + key + "-" + round;
                    fixture.put("key-" + key, payload);
                    written.add(payload);
                }
                round++;
                try {
                    Thread.sleep(100);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "producer");
        try (ConfigurableApplicationContext first = start("a")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> worker(first).leases().size() == 4);
            producer.start();
            try (ConfigurableApplicationContext second = start("b")) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> worker(first).leases().size() == 2 && worker(second).leases().size() == 2);
                Thread.sleep(1000);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> worker(first).leases().size() == 4);
            Thread.sleep(1000);
            producing.set(false);
            producer.join();
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> deliveries.size() == written.size());
        }
        List<String> payloads = deliveries.stream().map(delivery -> delivery.substring(2)).toList();
        Map<String, Long> counts = payloads.stream()
                .collect(Collectors.groupingBy(payload -> payload, Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(counts).as("records delivered more than once")
                .allSatisfy((payload, count) -> assertThat(count).as(payload).isEqualTo(1));
        assertThat(deliveries).as("the second application took part").anyMatch(delivery -> delivery.startsWith("b "));
        for (int key = 0; key < 16; key++) {
            String prefix = "k" + key + "-";
            List<Integer> rounds = payloads.stream().filter(payload -> payload.startsWith(prefix))
                    .map(payload -> Integer.parseInt(payload.substring(prefix.length()))).toList();
            assertThat(rounds).as("order of key-%s across the owners", key).isSorted();
        }
    }

    private static Worker worker(ConfigurableApplicationContext context) {
        return context.getBean(KinesisListenerEndpointRegistry.class).getListenerContainer("parallel").getWorker();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Recorder recorder(Environment environment) {
            return new Recorder(environment.getRequiredProperty("test.app"));
        }
    }

    static class Recorder {

        private final String app;

        Recorder(String app) {
            this.app = app;
        }

        @KinesisListener(id = "parallel", concurrency = "4", checkpointMode = "RECORD")
        void onRecord(KinesisRecord record) throws InterruptedException {
            Thread.sleep(2);
            deliveries.add(app + " " + new String(record.dataBytes(), StandardCharsets.UTF_8));
        }
    }

    private ConfigurableApplicationContext start(String app) {
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application, "test.app=" + app,
                "kcl.worker-id=worker-" + app);
    }
}
