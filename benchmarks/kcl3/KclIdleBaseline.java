// The KCL 3.5.1 side of the scale benchmark's idle run (not part of the Maven build: the KCL is never a dependency of
// this project). benchmarks/run-scale.sh fetches the KCL's jars into benchmarks/target/kcl3/lib and ScaleBenchmark
// runs this file with Java's source launcher:
//   java -cp benchmarks/target/classes:benchmarks/target/kcl3/lib/* benchmarks/kcl3/KclIdleBaseline.java \
//       --kinesis=http://127.0.0.1:P --dynamodb=http://127.0.0.1:Q --stream=S --app=A --idleMs=300000 --out=F
// One KCL Scheduler (polling, metrics off, failover 10 s: the KCL's defaults) consumes the idle stream; the lease
// table must exist already with its LeaseOwnerToLeaseKeyIndex (dynalite cannot add a GSI later). A DynamoDbCallCounter
// from the benchmark counts every request of the KCL's DynamoDB client. Once every lease of the stream is owned
// (watched with a separate, uncounted client) and a processor was initialized for each shard, the counts are taken
// for idleMs; F.startup and F.total get the counts (CallCounts lines), F.info the times.
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kclboot.benchmarks.scale.DynamoDbCallCounter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

public class KclIdleBaseline {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        URI kinesisEndpoint = URI.create(options.get("kinesis"));
        URI dynamoDbEndpoint = URI.create(options.get("dynamodb"));
        String stream = options.get("stream");
        String app = options.get("app");
        long idleMillis = Long.parseLong(options.get("idleMs"));
        int shards = Integer.parseInt(options.get("shards"));
        Path out = Path.of(options.get("out"));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        Region region = Region.US_EAST_1;

        DynamoDbCallCounter counter = new DynamoDbCallCounter();
        KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(kinesisEndpoint).region(region)
                .credentialsProvider(credentials).httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
        DynamoDbAsyncClient dynamoDb = DynamoDbAsyncClient.builder().endpointOverride(dynamoDbEndpoint).region(region)
                .credentialsProvider(credentials).httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter)).build();
        DynamoDbAsyncClient watcher = DynamoDbAsyncClient.builder().endpointOverride(dynamoDbEndpoint).region(region)
                .credentialsProvider(credentials).httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
        CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(region).credentialsProvider(credentials).build();

        ConfigsBuilder configs = new ConfigsBuilder(stream, app, kinesis, dynamoDb, cloudWatch, "kcl-idle-worker",
                IdleProcessor::new);
        Scheduler scheduler = new Scheduler(configs.checkpointConfig(), configs.coordinatorConfig(),
                configs.leaseManagementConfig(), configs.lifecycleConfig(),
                configs.metricsConfig().metricsFactory(new NullMetricsFactory()), configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(new PollingConfig(stream, kinesis)));
        Thread schedulerThread = new Thread(scheduler, "kcl-scheduler");
        schedulerThread.setDaemon(true);
        long start = System.nanoTime();
        schedulerThread.start();

        // Held = owned in the table and a processor initialized per shard: KCL 3's leader assigns the leases (sets
        // leaseOwner) well before the worker's lease coordinator starts renewing them and consuming.
        long deadline = start + TimeUnit.MINUTES.toNanos(5);
        while (IdleProcessor.INITIALIZED.get() < shards || ownedLeases(watcher, app) < shards) {
            if (System.nanoTime() > deadline) {
                System.out.println("KCL did not hold every lease within 5 minutes");
                System.exit(1);
            }
            Thread.sleep(200);
        }
        long held = System.nanoTime();
        List<String> startup = counter.snapshotLines();
        System.out.println("KCL holds all " + shards + " leases after " + (held - start) / 1_000_000 + " ms; idle for "
                + idleMillis + " ms");
        Files.write(Path.of(out + ".startup"), startup);
        Thread.sleep(idleMillis);
        long end = System.nanoTime();
        List<String> total = counter.snapshotLines();
        Files.write(Path.of(out + ".total"), total);
        Files.writeString(Path.of(out + ".info"), "heldAfterMs\t" + (held - start) / 1_000_000 + "\nwindowMs\t"
                + (end - held) / 1_000_000 + "\nowned\t" + ownedLeases(watcher, app) + "\n");
        System.out.println("KCL idle window done; shutting down");
        try {
            scheduler.startGracefulShutdown().get(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            System.out.println("KCL graceful shutdown: " + ex);
        }
        System.exit(0);
    }

    /** Lease rows (leaseCounter present, entityType absent or LEASE) that have an owner. */
    private static int ownedLeases(DynamoDbAsyncClient watcher, String table) {
        try {
            int owned = 0;
            for (Map<String, AttributeValue> item : watcher.scan(r -> r.tableName(table).consistentRead(true)).get().items()) {
                AttributeValue type = item.get("entityType");
                if (item.containsKey("leaseCounter") && item.containsKey("leaseOwner")
                        && (type == null || "LEASE".equals(type.s()))) {
                    owned++;
                }
            }
            return owned;
        }
        catch (Exception ex) {
            return 0;
        }
    }

    /** Checkpoints every batch, at shard end and when shutdown is requested, as the benchmark's own processor does. */
    static final class IdleProcessor implements ShardRecordProcessor {

        static final java.util.concurrent.atomic.AtomicInteger INITIALIZED = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void initialize(InitializationInput input) {
            INITIALIZED.incrementAndGet();
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            try {
                if (!input.records().isEmpty()) {
                    input.checkpointer().checkpoint();
                }
            }
            catch (Exception ex) {
                System.out.println("checkpoint failed: " + ex);
            }
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            try {
                input.checkpointer().checkpoint();
            }
            catch (Exception ex) {
                System.out.println("checkpoint at shard end failed: " + ex);
            }
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            try {
                input.checkpointer().checkpoint();
            }
            catch (Exception ex) {
                System.out.println("checkpoint at shutdown failed: " + ex);
            }
        }
    }
}
