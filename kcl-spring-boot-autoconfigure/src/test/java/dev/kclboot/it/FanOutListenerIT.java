package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.Retrieval;
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
import software.amazon.awssdk.services.kinesis.model.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kcl.retrieval.mode=fan-out}: the listener's worker registers a stream consumer named after the application
 * and receives the records through SubscribeToShard (the auto-configured async client); pausing holds them back as
 * with polling. A listener with {@code retrieval = "polling"} keeps polling in the same application.
 */
@SpringBootTest(classes = FanOutListenerIT.App.class, properties = "kcl.retrieval.mode=fan-out")
class FanOutListenerIT extends ListenerIntegrationTest {

    static final StreamFixture fanOut = new StreamFixture(2);

    static final StreamFixture polling = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fanOut.stream);
        registry.add("kcl.application-name", () -> fanOut.application);
        registry.add("polling.stream", () -> polling.stream);
        registry.add("polling.application", () -> polling.application);
    }

    @Autowired
    Listeners listeners;

    @Autowired
    KinesisListenerEndpointRegistry registry;

    @Test
    void theListenerReadsThroughItsStreamConsumerAndAPollingListenerStillPolls() {
        for (int i = 1; i <= 6; i++) {
            fanOut.put("pk" + i, "efo-" + i);
            polling.put("pk" + i, "poll-" + i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> listeners.fanOut.size() == 6 && listeners.polling.size() == 6);
        assertThat(listeners.fanOut).containsExactlyInAnyOrder("efo-1", "efo-2", "efo-3", "efo-4", "efo-5", "efo-6");
        assertThat(registry.getListenerContainer("efo").getWorker().config().retrieval())
                .isInstanceOf(Retrieval.FanOut.class);
        assertThat(registry.getListenerContainer("poller").getWorker().config().retrieval())
                .isInstanceOf(Retrieval.Polling.class);
        String streamArn = fanOut.local.kinesisClient().describeStreamSummary(request -> request.streamName(fanOut.stream))
                .streamDescriptionSummary().streamARN();
        assertThat(fanOut.local.kinesisClient().listStreamConsumers(request -> request.streamARN(streamArn)).consumers())
                .extracting(Consumer::consumerName).containsExactly(fanOut.application);

        registry.pause("efo");
        fanOut.put("pk1", "paused-1");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> listeners.fanOut.size() == 6);
        registry.resume("efo");
        await().atMost(Duration.ofSeconds(30)).until(() -> listeners.fanOut.size() == 7);
        assertThat(listeners.fanOut).endsWith("paused-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> fanOut.checkpoints().values().stream()
                .anyMatch(checkpoint -> checkpoint.equals(fanOut.sequenceOf("paused-1"))));

        // The suite shares one emulator with an open-shard limit: stop the workers, then free the streams.
        registry.stop();
        for (StreamFixture fixture : List.of(fanOut, polling)) {
            fixture.local.kinesisClient().deleteStream(request -> request.streamName(fixture.stream)
                    .enforceConsumerDeletion(true));
        }
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

        final List<String> fanOut = new CopyOnWriteArrayList<>();

        final List<String> polling = new CopyOnWriteArrayList<>();

        @KinesisListener(id = "efo")
        void onFanOut(String payload) {
            fanOut.add(payload);
        }

        @KinesisListener(id = "poller", stream = "${polling.stream}", applicationName = "${polling.application}",
                retrieval = "polling")
        void onPolling(String payload) {
            polling.add(payload);
        }
    }
}
