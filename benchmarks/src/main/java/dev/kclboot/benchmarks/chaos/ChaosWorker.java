package dev.kclboot.benchmarks.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.Worker;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The main of one chaos worker process: one {@link Worker} (TRIM_HORIZON) whose processors are
 * {@link ChaosProcessor}s writing to this process's {@link LineLog}, and one {@link FaultInjector} on both of its SDK
 * clients. SIGTERM ({@code Process.destroy()}) is a graceful stop: a shutdown hook calls
 * {@link Worker#shutdown(Duration)}; SIGKILL ({@code destroyForcibly()}) is a crash.
 * <p>
 * Process lines ({@code P}): START, STARTED, START_FAILED (start() threw; the process exits with 3), STOPPING,
 * STOPPED {@code true|false}; at a graceful exit a {@code Q} line with the faults injected.
 */
public final class ChaosWorker {

    /** Exit code when {@link Worker#start()} threw. */
    public static final int START_FAILED = 3;

    /** Exit code when the orchestrator that started this process is gone. */
    public static final int ORPHANED = 4;

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    private ChaosWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerOptions options = WorkerOptions.parse(args);
        haltWhenOrphaned(options.parentPid());
        LineLog log = new LineLog(options.log());
        String id = options.workerId();
        log.append('P', id, "START");
        FaultInjector faults = new FaultInjector(options.faultRate(), options.seed());
        KinesisClient kinesis = KinesisClient.builder().endpointOverride(options.kinesis()).region(LocalKinesis.REGION)
                .credentialsProvider(credentials()).httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .overrideConfiguration(config -> config.addExecutionInterceptor(faults)).build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(options.dynamoDb())
                .region(LocalKinesis.REGION).credentialsProvider(credentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .overrideConfiguration(config -> config.addExecutionInterceptor(faults)).build();
        // One seeded random per process for the processors' injected failures (the engine's threads make the order
        // of draws vary, the seed makes the share and the first draws repeatable).
        Random random = new Random(options.seed() ^ 0x5DEECE66DL);
        AtomicInteger tenures = new AtomicInteger();
        Worker worker = Worker.builder().applicationName(options.application()).stream(options.stream()).workerId(id)
                .kinesisClient(kinesis).dynamoDbClient(dynamoDb)
                .recordProcessorFactory(stream -> new ChaosProcessor(log, id + "/" + tenures.incrementAndGet(),
                        options.processorFailureRate(), () -> nextDouble(random)))
                .initialPosition(InitialPosition.trimHorizon()).failoverTime(options.failoverTime())
                .idleTimeBetweenReads(options.idleTimeBetweenReads()).shardSyncInterval(options.shardSyncInterval())
                .processingRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.append('P', id, "STOPPING");
            boolean clean = worker.shutdown(SHUTDOWN_TIMEOUT);
            log.append('P', id, "STOPPED", clean);
            logFaults(log, id, faults);
            System.out.println(id + " faults injected: " + faults);
            stopped.countDown();
        }, "chaos-worker-shutdown"));
        try {
            worker.start();
        }
        catch (RuntimeException ex) {
            log.append('P', id, "START_FAILED", ex.getClass().getSimpleName());
            System.err.println(id + " start() failed: " + ex);
            ex.printStackTrace();
            System.exit(START_FAILED);
        }
        log.append('P', id, "STARTED");
        // The engine's threads are daemons: keep the JVM up until a signal ends it.
        stopped.await();
    }

    /** The {@code Q worker calls=N service:FAULT=n...} line. */
    static void logFaults(LineLog log, String workerId, FaultInjector faults) {
        List<Object> fields = new ArrayList<>();
        fields.add(workerId);
        fields.addAll(faults.summary());
        log.append('Q', fields.toArray());
    }

    private static double nextDouble(Random random) {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials() {
        return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(LocalKinesis.ACCESS_KEY_ID,
                        LocalKinesis.SECRET_ACCESS_KEY));
    }

    /** If the orchestrator dies (even by kill -9), this process halts instead of running on alone. */
    private static void haltWhenOrphaned(long parentPid) {
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(ORPHANED)),
                () -> Runtime.getRuntime().halt(ORPHANED));
    }
}
