package dev.kclboot.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.spring.annotation.KinesisListener;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application consumes, checkpoints and stops; started again with the same application name, it resumes after
 * the checkpoint: it receives the new records and none of the old ones (it reads from TRIM_HORIZON otherwise).
 */
class RestartResumesIT {

    private final StreamFixture fixture = new StreamFixture(1);

    @Test
    void aRestartedApplicationResumesAfterTheCheckpoint() {
        List<String> first = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            first.add("r-" + i);
            fixture.put("pk", "r-" + i);
        }
        try (ConfigurableApplicationContext context = start()) {
            Received received = context.getBean(Received.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads.size() >= 10);
            assertThat(received.payloads).containsExactlyElementsOf(first);
            String shard = fixture.written.get("r-10").shardId();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fixture.sequenceOf("r-10").equals(fixture.checkpointOf(shard)));
        }
        List<String> second = new ArrayList<>();
        for (int i = 11; i <= 20; i++) {
            second.add("r-" + i);
            fixture.put("pk", "r-" + i);
        }
        try (ConfigurableApplicationContext context = start()) {
            Received received = context.getBean(Received.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads.size() >= 10);
            assertThat(received.payloads).containsExactlyElementsOf(second);
            String shard = fixture.written.get("r-20").shardId();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fixture.sequenceOf("r-20").equals(fixture.checkpointOf(shard)));
        }
    }


    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Received received() {
            return new Received();
        }
    }

    static class Received {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onRecord(String payload) {
            payloads.add(payload);
        }
    }

    private ConfigurableApplicationContext start() {
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application);
    }
}
