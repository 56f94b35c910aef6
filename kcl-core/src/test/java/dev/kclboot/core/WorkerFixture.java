package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.LocalKinesis;

/**
 * Builds workers against the local emulators with test-friendly timings and stops them all at the end of a test.
 */
final class WorkerFixture implements AutoCloseable {

    private final LocalKinesis local;

    private final List<Worker> workers = new CopyOnWriteArrayList<>();

    WorkerFixture(LocalKinesis local) {
        this.local = local;
    }

    Worker start(String application, String stream, String workerId, RecordProcessorFactory factory,
            Consumer<Worker.Builder> customizer) {
        Worker.Builder builder = Worker.builder().applicationName(application).stream(stream).workerId(workerId)
                .kinesisClient(local.kinesisClient()).dynamoDbClient(local.dynamoDbClient())
                .recordProcessorFactory(factory).initialPosition(InitialPosition.trimHorizon())
                .failoverTime(Duration.ofSeconds(3)).idleTimeBetweenReads(Duration.ofMillis(100))
                .shardSyncInterval(Duration.ofSeconds(2))
                .processingRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        customizer.accept(builder);
        Worker worker = builder.build();
        workers.add(worker);
        worker.start();
        return worker;
    }

    Worker start(String application, String stream, String workerId, RecordingProcessor.Recorder recorder) {
        return start(application, stream, workerId, name -> new RecordingProcessor(recorder, true), builder -> {
        });
    }

    @Override
    public void close() {
        workers.forEach(worker -> worker.shutdown(Duration.ofSeconds(10)));
    }
}
