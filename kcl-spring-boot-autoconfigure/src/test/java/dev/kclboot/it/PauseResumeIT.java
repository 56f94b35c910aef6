package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * Pausing a listener by id through the registry stops delivery (records written meanwhile do not arrive while it
 * is paused, although the worker keeps its leases); resuming delivers them.
 */
@SpringBootTest(classes = PauseResumeIT.App.class)
class PauseResumeIT extends ListenerIntegrationTest {

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
    void pauseAndResumeById() {
        for (int i = 1; i <= 3; i++) {
            fixture.put("pk", "before-" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.payloads.size() == 3);

        registry.pause("pausable");
        assertThat(registry.isPaused("pausable")).isTrue();
        for (int i = 1; i <= 3; i++) {
            fixture.put("pk", "during-" + i);
        }
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> listener.payloads.size() == 3);
        assertThat(registry.getListenerContainer("pausable").getWorker().leases()).isNotEmpty();

        registry.resume("pausable");
        assertThat(registry.isPaused("pausable")).isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.payloads.size() == 6);
        assertThat(listener.payloads).containsExactly("before-1", "before-2", "before-3", "during-1", "during-2",
                "during-3");
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

        @KinesisListener(id = "pausable")
        void onRecord(String payload) {
            payloads.add(payload);
        }
    }
}
