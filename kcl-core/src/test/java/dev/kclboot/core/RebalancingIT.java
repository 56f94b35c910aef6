package dev.kclboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebalancing hands leases over instead of grabbing them: while records keep arriving, a second and a third worker
 * join one that holds every lease, then one leaves gracefully. With a processor that checkpoints every batch, no
 * record is delivered twice and no processor is shut down as ZOMBIE.
 */
@EmbeddedKinesis
class RebalancingIT {

    @Test
    void workersJoiningAndLeavingCauseNoDuplicate(LocalKinesis local) throws Exception {
        String stream = local.createStream(6);
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> written = new ArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            int round = 0;
            while (producing.get()) {
                List<String> batch = TestStreams.put(local, stream, "r" + round++, 24, 12);
                synchronized (written) {
                    written.addAll(batch);
                }
                try {
                    Thread.sleep(100);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "producer");
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker first = fixture.start(application, stream, "worker-a", recorder);
            await().atMost(Duration.ofSeconds(30)).until(() -> first.leases().size() == 6);
            producer.start();
            Worker second = fixture.start(application, stream, "worker-b", recorder);
            await().atMost(Duration.ofSeconds(60)).until(() -> first.leases().size() == 3 && second.leases().size() == 3);
            Worker third = fixture.start(application, stream, "worker-c", recorder);
            await().atMost(Duration.ofSeconds(60)).until(() -> Stream.of(first, second, third)
                    .allMatch(worker -> worker.leases().size() == 2));
            assertThat(second.shutdown(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.leases().size() + third.leases().size() == 6);
            Thread.sleep(1000);
            producing.set(false);
            producer.join();
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.payloads.size() >= written.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> recorder.payloads.size() == written.size());
        }
        Map<String, Long> deliveries = recorder.payloads.stream()
                .collect(Collectors.groupingBy(payload -> payload, Collectors.counting()));
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(deliveries).as("records delivered more than once")
                .allSatisfy((payload, count) -> assertThat(count).as(payload).isEqualTo(1));
        assertThat(recorder.events).noneMatch(event -> event.startsWith("ZOMBIE"));
        assertThat(recorder.events).filteredOn(event -> event.startsWith("REQUESTED")).hasSizeGreaterThanOrEqualTo(3 + 2);
    }
}
