package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.kclboot.core.Worker;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * One kcl-core {@link Worker} of a run with what the benchmark measures it by: its own Kinesis client, its own
 * DynamoDB client with a {@link DynamoDbDelay} and a {@link DynamoDbCallCounter} on it (SDK defaults otherwise,
 * as a plain kcl-core user would build it), and with {@code asyncClients} async ones for GetRecords and renewals
 * (the delay and the counter on the DynamoDB one too) and a {@link SimpleMeterRegistry} for the engine's meters. The engine
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

    private final @Nullable ScheduledExecutorService sdkScheduler;

    private final @Nullable SdkEventLoopGroup eventLoop;

    private final @Nullable KinesisAsyncClient kinesisAsync;

    private final @Nullable DynamoDbAsyncClient dynamoDbAsync;

    /** The consumers' and reads' executor when on virtual threads (the worker does not shut a given one down). */
    private final @Nullable ExecutorService virtualExecutor;

    ScaleWorker(LocalKinesis local, String application, String stream, String workerId, Duration latency,
            Duration failoverTime, int maxLeasesToSteal, boolean virtualThreads, boolean asyncClients,
            DeliveryLedger ledger) {
        this.workerId = workerId;
        this.delay = new DynamoDbDelay(latency);
        if (asyncClients) {
            // What a user keeps the SDK's own threads few with: one scheduler (timeouts, retries) and one event loop
            // for all of the worker's clients, instead of five scheduler threads per client.
            this.sdkScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "sdk-scheduler-" + workerId);
                thread.setDaemon(true);
                return thread;
            });
            this.eventLoop = SdkEventLoopGroup.builder().numberOfThreads(2).build();
        }
        else {
            this.sdkScheduler = null;
            this.eventLoop = null;
        }
        ScheduledExecutorService scheduler = sdkScheduler;
        this.kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(128))
                .overrideConfiguration(o -> {
                    if (scheduler != null) {
                        o.scheduledExecutorService(scheduler);
                    }
                })
                .build();
        // The delay first: the counter's beforeTransmission then runs after the wait, counting only what is sent.
        this.dynamoDb = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> {
                    o.addExecutionInterceptor(delay).addExecutionInterceptor(calls);
                    if (scheduler != null) {
                        o.scheduledExecutorService(scheduler);
                    }
                })
                .build();
        Worker.Builder builder = Worker.builder().applicationName(application).stream(stream).workerId(workerId)
                .kinesisClient(kinesis).dynamoDbClient(dynamoDb)
                .recordProcessorFactory(streamName -> ledger.newProcessor(workerId))
                .initialPosition(InitialPosition.trimHorizon()).failoverTime(failoverTime)
                .maxLeasesToStealAtOneTime(maxLeasesToSteal).meterRegistry(registry);
        if (scheduler != null && eventLoop != null) {
            this.kinesisAsync = local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                    .httpClient(netty(eventLoop))
                    .asyncConfiguration(async -> async.advancedOption(
                            SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
                    .overrideConfiguration(o -> o.scheduledExecutorService(scheduler))
                    .build();
            // Counted like the blocking client: the counter counts what the SDK sends (the delay sits below it).
            this.dynamoDbAsync = local.configure(DynamoDbAsyncClient.builder(), local.dynamoDbEndpoint())
                    .httpClient(delay.asyncHttpClient(netty(eventLoop)))
                    .asyncConfiguration(async -> async.advancedOption(
                            SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(calls).scheduledExecutorService(scheduler))
                    .build();
            builder.kinesisAsyncClient(kinesisAsync).dynamoDbAsyncClient(dynamoDbAsync);
        }
        else {
            this.kinesisAsync = null;
            this.dynamoDbAsync = null;
        }
        if (virtualThreads) {
            this.virtualExecutor = VirtualThreads.perTaskExecutor();
            builder.executor(virtualExecutor).threadFactory(VirtualThreads.factory("kcl-" + workerId + "-"));
        }
        else {
            this.virtualExecutor = null;
        }
        this.worker = builder.build();
    }

    private static SdkAsyncHttpClient netty(SdkEventLoopGroup eventLoop) {
        return NettyNioAsyncHttpClient.builder().eventLoopGroup(eventLoop).maxConcurrency(1024).build();
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
        if (kinesisAsync != null) {
            kinesisAsync.close();
        }
        if (dynamoDbAsync != null) {
            dynamoDbAsync.close();
        }
        if (eventLoop != null) {
            eventLoop.eventLoopGroup().shutdownGracefully();
        }
        if (sdkScheduler != null) {
            sdkScheduler.shutdownNow();
        }
        if (virtualExecutor != null) {
            virtualExecutor.shutdownNow();
        }
    }
}
