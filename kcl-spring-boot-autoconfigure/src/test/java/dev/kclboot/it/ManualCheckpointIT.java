package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
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
 * In MANUAL mode only the listener checkpoints: it checkpoints at the fifth of ten records, and after all ten were
 * processed and the listener was stopped gracefully, the lease table still holds the fifth record's sequence number.
 */
@SpringBootTest(classes = ManualCheckpointIT.App.class)
class ManualCheckpointIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Listener listener;

    @Autowired
    KinesisListenerEndpointRegistry registry;

    @Test
    void onlyTheListenerCheckpoints() {
        for (int i = 1; i <= 10; i++) {
            fixture.put("pk", "m-" + i);
        }
        String shard = fixture.written.get("m-5").shardId();
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.payloads.size() == 10);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf("m-5").equals(fixture.checkpointOf(shard)));
        registry.stop("manual");
        assertThat(registry.getListenerContainer("manual").isRunning()).isFalse();
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("m-5"));
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

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener(id = "manual", checkpointMode = "MANUAL")
        void onRecord(String payload, Checkpointer checkpointer) {
            payloads.add(payload);
            if (payload.equals("m-5")) {
                checkpointer.checkpoint();
            }
        }
    }
}
