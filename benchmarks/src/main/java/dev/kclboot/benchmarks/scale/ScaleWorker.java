package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import dev.kclboot.core.Worker;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * One kcl-core {@link Worker} of a run with what the benchmark measures it by: its own Kinesis client, its own
 * DynamoDB client with a {@link DynamoDbDelay} and a {@link DynamoDbCallCounter} on it (SDK defaults otherwise,
 * as a plain kcl-core user would build it) and a {@link SimpleMeterRegistry} for the engine's meters. The engine
 * names its own threads, which the {@link ThreadCensus} counts.
 */
final class ScaleWorker implements AutoCloseable {

    final String workerId;

    final Worker worker;

    final DynamoDbDelay delay;

    final DynamoDbCallCounter calls = new DynamoDbCallCounter();

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final KinesisClient kinesis;

    private final DynamoDbClient dynamoDb;

    private long startNanos;

    /** The consumers' and reads' executor when on virtual threads (the worker does not shut a given one down). */
    private final @Nullable ExecutorService virtualExecutor;

    ScaleWorker(LocalKinesis local, String application, String stream, String workerId, Duration latency,
            Duration failoverTime, int maxLeasesToSteal, boolean virtualThreads, DeliveryLedger ledger) {
        this.workerId = workerId;
        this.delay = new DynamoDbDelay(latency);
        this.kinesis = local.newKinesisClient();
        // The delay first: the counter's beforeTransmission then runs after the wait, counting only what is sent.
        this.dynamoDb = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(delay).addExecutionInterceptor(calls))
                .build();
        Worker.Builder builder = Worker.builder().applicationName(application).stream(stream).workerId(workerId)
                .kinesisClient(kinesis).dynamoDbClient(dynamoDb)
                .recordProcessorFactory(streamName -> ledger.newProcessor(workerId))
                .initialPosition(InitialPosition.trimHorizon()).failoverTime(failoverTime)
                .maxLeasesToStealAtOneTime(maxLeasesToSteal).meterRegistry(registry);
        if (virtualThreads) {
            this.virtualExecutor = VirtualThreads.perTaskExecutor();
            builder.executor(virtualExecutor).threadFactory(VirtualThreads.factory("kcl-" + workerId + "-"));
        }
        else {
            this.virtualExecutor = null;
        }
        this.worker = builder.build();
    }

    /** Starts the worker; returns {@link System#nanoTime()} just before. */
    long start() {
        startNanos = System.nanoTime();
        worker.start();
        return startNanos;
    }

    long startNanos() {
        return startNanos;
    }

    int leases() {
        return worker.leases().size();
    }

    /** The engine's {@code kcl.leases.lost} so far. */
    long leasesLost() {
        return Math.round(registry.find(EngineMetrics.LEASES_LOST).counters().stream().mapToDouble(Counter::count).sum());
    }

    /** The engine's {@code kcl.leases.taken} so far. */
    long leasesTaken() {
        return Math.round(registry.find(EngineMetrics.LEASES_TAKEN).counters().stream().mapToDouble(Counter::count).sum());
    }

    boolean shutdown(Duration timeout) {
        return worker.shutdown(timeout);
    }

    /** Shuts the worker down (if still running) and closes its clients. */
    @Override
    public void close() {
        worker.shutdown(Duration.ofSeconds(30));
        kinesis.close();
        dynamoDb.close();
        if (virtualExecutor != null) {
            virtualExecutor.shutdownNow();
        }
    }
}
