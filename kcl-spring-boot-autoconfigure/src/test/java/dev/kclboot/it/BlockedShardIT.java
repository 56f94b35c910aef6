package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.spring.actuate.KinesisEndpoint;
import dev.kclboot.spring.actuate.ListenerDescriptor;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record that keeps failing under the default unlimited retries blocks its shard: once it has failed for longer
 * than {@code kcl.health.blocked-after} the health indicator is DOWN and names the record, its attempts and the
 * exception, the listener shows BLOCKED, and the shard's iterator-age gauge keeps growing (while the engine's
 * millis-behind-latest stands still, as reads stop). When the record succeeds, health is UP again.
 */
class BlockedShardIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final StreamFixture fixture = new StreamFixture(1);

    @Test
    void aBlockedShardTurnsHealthDownWithAGrowingIteratorAgeAndUpOnceTheRecordSucceeds() {
        for (int i = 1; i <= 3; i++) {
            fixture.put("pk", "x-" + i);
        }
        String shard = fixture.written.get("x-1").shardId();
        try (ConfigurableApplicationContext context = TestApplications.run(App.class, fixture.local, fixture.stream,
                fixture.application, "kcl.health.blocked-after=1s",
                "management.endpoints.web.exposure.include=health,kinesis")) {
            Listener listener = context.getBean(Listener.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> kinesisHealth(context).getStatus().equals(Status.DOWN));

            IndicatedHealthDescriptor down = kinesisHealth(context);
            @SuppressWarnings("unchecked")
            Map<String, Object> listeners = (Map<String, Object>) down.getDetails().get("listeners");
            String details = listeners.get("blocker").toString();
            assertThat(details).contains("state=BLOCKED").contains("shard=" + shard)
                    .contains("sequenceNumber=" + fixture.sequenceOf("x-2"))
                    .contains("java.lang.IllegalStateException: x-2 cannot be handled yet").contains("failingSince=");
            ListenerDescriptor descriptor = context.getBean(KinesisEndpoint.class).workers().listeners().get(0);
            assertThat(descriptor.state()).isEqualTo("BLOCKED");
            assertThat(descriptor.blocked()).singleElement()
                    .satisfies(blocked -> assertThat(blocked.attempts()).isGreaterThan(1));
            assertThat(listener.processed).containsExactly("x-1");

            double age = meters.gaugesByShard(KinesisListenerMetrics.ITERATOR_AGE).get(shard);
            await().atMost(WAIT).until(() -> meters.gaugesByShard(KinesisListenerMetrics.ITERATOR_AGE).get(shard) > age);

            listener.fixed = true;
            await().atMost(WAIT).until(() -> kinesisHealth(context).getStatus().equals(Status.UP));
            await().atMost(WAIT).until(() -> listener.processed.size() == 3);
            assertThat(listener.processed).containsExactly("x-1", "x-2", "x-3");
            ListenerDescriptor recovered = context.getBean(KinesisEndpoint.class).workers().listeners().get(0);
            assertThat(recovered.state()).isEqualTo("RUNNING");
            assertThat(recovered.blocked()).isEmpty();
            assertThat(recovered.shards()).singleElement()
                    .satisfies(status -> assertThat(status.sequenceNumber()).isNull());
        }
    }

    private static IndicatedHealthDescriptor kinesisHealth(ConfigurableApplicationContext context) {
        return KinesisObservabilityIT.kinesisHealth(context);
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

        @KinesisListener(id = "blocker")
        void onRecord(String payload) {
            if (payload.equals("x-2") && !fixed) {
                throw new IllegalStateException(payload + " cannot be handled yet");
            }
            processed.add(payload);
        }
    }
}
