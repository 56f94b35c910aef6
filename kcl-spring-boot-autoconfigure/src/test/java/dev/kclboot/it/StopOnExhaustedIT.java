package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.Worker;
import dev.kclboot.core.WorkerState;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
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
 * With {@code onExhausted = "STOP"} a record that keeps failing stops the listener, the worker releases its leases
 * and the checkpoint stays before the record; once the cause is fixed, starting the listener by id builds a new
 * worker (registered as the bean again) that delivers the record again and goes on.
 */
@SpringBootTest(classes = StopOnExhaustedIT.App.class)
class StopOnExhaustedIT extends ListenerIntegrationTest {

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

    @Autowired
    ApplicationContext context;

    @Test
    void stopsWithTheCheckpointBeforeTheRecordAndResumesFromItWhenStartedAgain() {
        for (int i = 1; i <= 3; i++) {
            fixture.put("pk", "s-" + i);
        }
        String shard = fixture.written.get("s-1").shardId();
        Worker first = context.getBean(Worker.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> !registry.getListenerContainer("stopper").isRunning());
        await().atMost(Duration.ofSeconds(30)).until(() -> first.state() == WorkerState.STOPPED);
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("s-1"));
        assertThat(listener.processed).containsExactly("s-1");

        listener.fixed = true;
        registry.start("stopper");
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.processed.size() == 3);
        assertThat(listener.processed).containsExactly("s-1", "s-2", "s-3");
        Worker second = context.getBean(Worker.class);
        assertThat(second).isNotSameAs(first);
        assertThat(second.state()).isEqualTo(WorkerState.RUNNING);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf("s-3").equals(fixture.checkpointOf(shard)));
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

        final List<String> processed = new CopyOnWriteArrayList<>();

        volatile boolean fixed;

        @KinesisListener(id = "stopper", maxAttempts = "2", onExhausted = "STOP")
        void onRecord(String payload) {
            if (payload.equals("s-2") && !fixed) {
                throw new IllegalStateException("cannot handle " + payload + " yet");
            }
            processed.add(payload);
        }
    }
}
