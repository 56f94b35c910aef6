package dev.kclboot.benchmarks.multilang;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * What the MultiLang measurements share: the emulators, a work folder, the Python processor, one properties file
 * for both hosts, and starting a host as a separate process with dummy credentials in its environment.
 */
final class Rig {

    static final Duration PATIENCE = Duration.ofMinutes(8);

    private final LocalKinesis local;

    private final Path work;

    private final Path processor;

    Rig(LocalKinesis local, Path work, Path processor) {
        this.local = local;
        this.work = work;
        this.processor = processor;
    }

    LocalKinesis local() {
        return local;
    }

    Path file(String name) {
        return work.resolve(name);
    }

    /** The same keys for both hosts; the daemon's polling, metrics and grace keys are accepted by ours. */
    Path writeProperties(String tag, String application, String stream, Path events) throws IOException {
        String text = String.join("\n",
                "executableName = python3 " + processor + " --events " + events + " --style v3",
                "applicationName = " + application,
                "streamName = " + stream,
                "regionName = " + local.region().id(),
                "kinesisEndpoint = " + local.kinesisEndpoint(),
                "dynamoDBEndpoint = " + local.dynamoDbEndpoint(),
                "AwsCredentialsProvider = DefaultCredentialsProvider",
                "processingLanguage = python/3",
                "initialPositionInStream = TRIM_HORIZON",
                "RetrievalMode = POLLING",
                "idleTimeBetweenReadsInMillis = 250",
                "shutdownGraceMillis = 20000",
                "metricsLevel = NONE",
                "");
        Path file = work.resolve("app-" + tag + ".properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    Process launch(Contender contender, Path properties, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(contender.command(properties)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", LocalKinesis.ACCESS_KEY_ID);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalKinesis.SECRET_ACCESS_KEY);
        builder.environment().put("AWS_REGION", local.region().id());
        return builder.start();
    }

    /** The KCL 3.x daemon wants its lease table with the LeaseOwnerToLeaseKeyIndex, which dynalite cannot add later. */
    void createKcl3LeaseTable(String table) {
        local.dynamoDbClient().createTable(request -> request.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("leaseKey").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("leaseOwner").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("LeaseOwnerToLeaseKeyIndex")
                        .keySchema(KeySchemaElement.builder().attributeName("leaseOwner").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.RANGE).build())
                        .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY)).build()));
    }

    /** Shard id to stored checkpoint, for the lease rows of a table. */
    Map<String, String> checkpoints(String table) {
        Map<String, String> checkpoints = new TreeMap<>();
        local.dynamoDbClient().scanPaginator(request -> request.tableName(table).consistentRead(true)).items()
                .forEach(item -> {
                    if (item.containsKey("leaseCounter") && item.containsKey("checkpoint")) {
                        checkpoints.put(item.get("leaseKey").s(), item.get("checkpoint").s());
                    }
                });
        return checkpoints;
    }

    void put(String stream, String prefix, int count) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("key" + (i % 10))
                    .data(SdkBytes.fromString(prefix + "-" + i, StandardCharsets.UTF_8)).build());
        }
        local.kinesisClient().putRecords(request -> request.streamName(stream).records(entries));
    }

    /** Waits until the condition holds (polling every 10 ms) and returns System.nanoTime() then. */
    static long awaitNanos(BooleanSupplier condition, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The host exited with code " + process.exitValue() + " while waiting");
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Gave up after " + PATIENCE);
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Set -D" + property + " (benchmarks/run-multilang.sh does)");
        }
        return value;
    }
}
