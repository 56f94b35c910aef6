package dev.kclboot.benchmarks.latency;

import java.time.Duration;
import java.util.List;

import dev.kclboot.core.Retrieval;
import dev.kclboot.core.Worker;
import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.LocalKinesis;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The worker as an application runs it: leases in a new table, TRIM_HORIZON, a processor that hands each record over
 * and checkpoints every batch; reading by enhanced fan-out or by polling with the given idle time.
 */
final class WorkerContender implements LatencyContender {

    private final @Nullable Duration pollingIdle;

    private @Nullable Worker worker;

    private @Nullable KinesisAsyncClient async;

    private WorkerContender(@Nullable Duration pollingIdle) {
        this.pollingIdle = pollingIdle;
    }

    static WorkerContender fanOut() {
        return new WorkerContender(null);
    }

    static WorkerContender polling(Duration idle) {
        return new WorkerContender(idle);
    }

    @Override
    public String name() {
        return pollingIdle == null ? "worker, enhanced fan-out" : "worker, polling " + pollingIdle.toMillis() + " ms";
    }

    @Override
    public void start(LocalKinesis local, String stream, int shards, LatencyRecorder recorder) throws Exception {
        Worker.Builder builder = Worker.builder().applicationName(LocalKinesis.uniqueName("latency")).stream(stream)
                .kinesisClient(local.kinesisClient()).dynamoDbClient(local.dynamoDbClient())
                .initialPosition(InitialPosition.trimHorizon())
                .recordProcessorFactory(name -> new Handing(recorder));
        if (pollingIdle == null) {
            KinesisAsyncClient client = local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2)
                            .maxConcurrency(Integer.MAX_VALUE))
                    .build();
            async = client;
            builder.retrieval(Retrieval.fanOut(client));
        }
        else {
            builder.idleTimeBetweenReads(pollingIdle);
        }
        Worker started = builder.build();
        worker = started;
        started.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (started.leases().size() < shards) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name() + " did not take its " + shards + " leases within 60 s");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        Worker current = worker;
        if (current != null) {
            current.shutdown(Duration.ofSeconds(10));
        }
        KinesisAsyncClient client = async;
        if (client != null) {
            client.close();
        }
    }

    /** Hands every record to the recorder and checkpoints each batch, as a listener with BATCH checkpoints does. */
    private static final class Handing implements RecordProcessor {

        private final LatencyRecorder recorder;

        Handing(LatencyRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void initialize(String shardId) {
        }

        @Override
        public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
            for (KinesisRecord record : records) {
                recorder.received(record.data());
            }
            checkpointer.checkpoint();
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
            if (reason == ShutdownReason.TERMINATE) {
                checkpointer.checkpoint();
            }
        }
    }
}
