package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kclboot.spring.annotation.KinesisListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing an application while its listener is stuck in a call: the close does not wait for the call, the records
 * done before it are checkpointed and the lease is released (not left to expire), so a restarted application gets
 * exactly the record that was in the listener, and none of those that had succeeded.
 */
class BusyListenerShutdownIT {

    private final StreamFixture fixture = new StreamFixture(1);

    /** Holds the busy call; counted down only after the close returned, then at the end of the test. */
    static final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseTheBusyCall() {
        release.countDown();
    }

    @Test
    void theStopCheckpointsWhatIsDoneAndReleasesTheLeaseWhileAListenerIsBusy() {
        for (int i = 1; i <= 3; i++) {
            fixture.put("pk", "b-" + i);
        }
        String shard = fixture.written.get("b-1").shardId();
        ConfigurableApplicationContext context = TestApplications.run(BusyApp.class, fixture.local, fixture.stream,
                fixture.application, "kcl.shutdown-timeout=4s", "spring.lifecycle.timeout-per-shutdown-phase=20s");
        BusyListener busy = context.getBean(BusyListener.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> busy.entered.contains("b-3"));

        context.close();

        // The close returned while the call on b-3 still runs: it did not wait for the listener.
        assertThat(release.getCount()).isEqualTo(1);
        assertThat(busy.finished).containsExactly("b-1", "b-2");
        assertThat(fixture.checkpointOf(shard)).isEqualTo(fixture.sequenceOf("b-2"));
        assertThat(fixture.ownerOf(shard)).isNull();

        try (ConfigurableApplicationContext restarted = TestApplications.run(QuickApp.class, fixture.local,
                fixture.stream, fixture.application)) {
            QuickListener quick = restarted.getBean(QuickListener.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> !quick.received.isEmpty());
            assertThat(quick.received).containsExactly("b-3");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BusyApp {

        @Bean
        BusyListener busyListener() {
            return new BusyListener();
        }
    }

    static class BusyListener {

        final List<String> entered = new CopyOnWriteArrayList<>();

        final List<String> finished = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onRecord(String payload) throws InterruptedException {
            entered.add(payload);
            if (payload.equals("b-3")) {
                release.await(5, TimeUnit.MINUTES);
            }
            finished.add(payload);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class QuickApp {

        @Bean
        QuickListener quickListener() {
            return new QuickListener();
        }
    }

    static class QuickListener {

        final List<String> received = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onRecord(String payload) {
            received.add(payload);
        }
    }
}
