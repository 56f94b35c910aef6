package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EmbeddedKinesis
class WorkerConsumptionIT {

    private final List<Worker> workers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(worker -> worker.shutdown(Duration.ofSeconds(10)));
    }

    private Worker worker(LocalKinesis local, String application, String stream, RecordingProcessor.Recorder recorder) {
        Worker worker = Worker.builder().applicationName(application).stream(stream)
                .kinesisClient(local.kinesisClient()).dynamoDbClient(local.dynamoDbClient())
                .recordProcessorFactory(name -> new RecordingProcessor(recorder, true))
                .initialPosition(InitialPosition.trimHorizon())
                .failoverTime(Duration.ofSeconds(3)).idleTimeBetweenReads(Duration.ofMillis(100))
                .build();
        workers.add(worker);
        return worker;
    }

    @Test
    void consumesEveryRecordAndANewWorkerContinuesAfterTheCheckpoint(LocalKinesis local) {
        String stream = local.createStream(4);
        String application = LocalKinesis.uniqueName("app");
        List<String> first = TestStreams.put(local, stream, "first", 200, 20);

        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        Worker worker = worker(local, application, stream, recorder);
        worker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.distinctPayloads().size() == first.size());
        assertThat(recorder.distinctPayloads()).containsExactlyInAnyOrderElementsOf(first);
        assertThat(worker.leases()).hasSize(4);
        assertThat(worker.shutdown(Duration.ofSeconds(10))).isTrue();

        LeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        List<Lease> leases = table.listLeases();
        assertThat(leases).hasSize(4).allSatisfy(lease -> {
            assertThat(lease.checkpoint().isSentinel()).isFalse();
            assertThat(lease.leaseOwner()).isNull();
        });

        List<String> second = TestStreams.put(local, stream, "second", 40, 8);
        RecordingProcessor.Recorder next = new RecordingProcessor.Recorder();
        worker(local, application, stream, next).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> next.distinctPayloads().size() >= second.size());
        assertThat(next.payloads).containsExactlyInAnyOrderElementsOf(second);
    }
}
