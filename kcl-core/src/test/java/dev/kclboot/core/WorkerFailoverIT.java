package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EmbeddedKinesis
class WorkerFailoverIT {

    @Test
    void twoWorkersSplitFourShardsEvenlyAndTheSurvivorTakesOverAfterACrash(LocalKinesis local) {
        String stream = local.createStream(4);
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker first = fixture.start(application, stream, "worker-a", recorder);
            Worker second = fixture.start(application, stream, "worker-b", recorder);
            List<String> before = TestStreams.put(local, stream, "before", 100, 10);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> first.leases().size() == 2 && second.leases().size() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.distinctPayloads().containsAll(before));

            first.halt();
            List<String> after = TestStreams.put(local, stream, "after", 100, 10);

            await().atMost(Duration.ofSeconds(30)).until(() -> second.leases().size() == 4);
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.distinctPayloads().containsAll(after));
            assertThat(recorder.distinctPayloads()).containsAll(before).containsAll(after);
        }
    }

    @Test
    void threeWorkersShareAStreamAndTheOthersTakeTheShardsOfACrashedOne(LocalKinesis local) {
        String stream = local.createStream(4);
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker a = fixture.start(application, stream, "worker-a", recorder);
            Worker b = fixture.start(application, stream, "worker-b", recorder);
            Worker c = fixture.start(application, stream, "worker-c", recorder);
            List<String> before = TestStreams.put(local, stream, "before", 90, 9);
            await().atMost(Duration.ofSeconds(30)).until(() -> Stream.of(a, b, c)
                    .allMatch(worker -> worker.leases().size() >= 1) && total(a, b, c) == 4);
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.distinctPayloads().containsAll(before));

            Worker crashed = Stream.of(a, b, c).filter(worker -> worker.leases().size() == 2).findFirst().orElse(a);
            crashed.halt();
            List<Worker> survivors = Stream.of(a, b, c).filter(worker -> worker != crashed).toList();
            List<String> after = TestStreams.put(local, stream, "after", 90, 9);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> survivors.stream().mapToInt(worker -> worker.leases().size()).sum() == 4);
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.distinctPayloads().containsAll(after));
            assertThat(survivors).allSatisfy(worker -> assertThat(worker.leases()).hasSize(2));
        }
    }

    @Test
    void gracefulShutdownHandsLeasesOverWellBeforeTheFailoverTime(LocalKinesis local) {
        String stream = local.createStream(4);
        String application = LocalKinesis.uniqueName("app");
        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        Duration failover = Duration.ofSeconds(30);
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker first = fixture.start(application, stream, "worker-a", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.failoverTime(failover));
            Worker second = fixture.start(application, stream, "worker-b", name -> new RecordingProcessor(recorder, true),
                    builder -> builder.failoverTime(failover));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> first.leases().size() == 2 && second.leases().size() == 2);

            // Rebalancing handed two leases from one worker to the other (REQUESTED, never ZOMBIE).
            List<String> handedOver = recorder.events.stream().filter(event -> event.startsWith("REQUESTED")).toList();
            assertThat(recorder.events).noneMatch(event -> event.startsWith("ZOMBIE"));
            assertThat(first.shutdown(Duration.ofSeconds(10))).isTrue();
            assertThat(recorder.events).filteredOn(event -> event.startsWith("REQUESTED"))
                    .hasSize(handedOver.size() + 2);

            // Expiry would take the failover time (30 s); released leases are taken at the next round (<= 2 s).
            await().atMost(failover.dividedBy(3)).until(() -> second.leases().size() == 4);
        }
    }

    private static int total(Worker... workers) {
        return Stream.of(workers).mapToInt(worker -> worker.leases().size()).sum();
    }
}
