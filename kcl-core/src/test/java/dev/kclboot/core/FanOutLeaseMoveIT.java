package dev.kclboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lease moves between two workers of one application, each with its own client, while records keep coming: the
 * second worker joins and is handed a shard (the first cancels its subscription; the second subscribes through the
 * same consumer, retrying ResourceInUseException until the old subscription is over), then the first leaves and the
 * second takes the rest. Every record is delivered exactly once.
 */
@EmbeddedKinesis
class FanOutLeaseMoveIT {

    private final List<String> streams = new ArrayList<>();

    @AfterEach
    void deleteStreams(LocalKinesis local) {
        streams.forEach(stream -> TestStreams.delete(local, stream));
    }

    private String created(String stream) {
        streams.add(stream);
        return stream;
    }

    @Test
    void leasesMovingBetweenWorkersLoseAndRepeatNothing(LocalKinesis local) throws Exception {
        String stream = created(local.createStream(2));
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> written = new ArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            int round = 0;
            while (producing.get()) {
                List<String> batch = TestStreams.put(local, stream, "r" + round++, 10, 10);
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
        try (KinesisAsyncClient firstClient = FanOutClients.http2(local);
                KinesisAsyncClient secondClient = FanOutClients.http2(local);
                WorkerFixture fixture = new WorkerFixture(local)) {
            Worker first = fixture.start(application, stream, "worker-a", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.retrieval(Retrieval.fanOut(firstClient)));
            await().atMost(Duration.ofSeconds(30)).until(() -> first.leases().size() == 2);
            producer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.payloads.isEmpty());
            Worker second = fixture.start(application, stream, "worker-b", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.retrieval(Retrieval.fanOut(secondClient)));
            await().atMost(Duration.ofSeconds(30)).until(() -> first.leases().size() == 1 && second.leases().size() == 1);
            int beforeLeaving = recorder.payloads.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.payloads.size() > beforeLeaving + 20);
            assertThat(first.shutdown(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> second.leases().size() == 2);
            Thread.sleep(2000);
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
        assertThat(recorder.payloads).hasSize(written.size());
        assertThat(recorder.events).noneMatch(event -> event.startsWith("ZOMBIE"));
        assertThat(recorder.events).filteredOn(event -> event.startsWith("initialize")).hasSize(4);
    }
}
