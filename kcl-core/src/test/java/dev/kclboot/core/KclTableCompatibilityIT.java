package dev.kclboot.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lease table as the KCL 2.x/3.x writes it is read and continued from its checkpoints; KCL 3's non-lease rows and
 * unknown attributes are left alone.
 */
@EmbeddedKinesis
class KclTableCompatibilityIT {

    @Test
    void continuesFromTheCheckpointsOfATableWrittenByTheKcl(LocalKinesis local) {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("kcl-app");
        List<String> written = TestStreams.put(local, stream, "old", 40, 4);
        List<Record> shard0 = readAll(local, stream, "shardId-000000000000");
        assertThat(shard0).hasSizeGreaterThan(5);
        String checkpointed = shard0.get(4).sequenceNumber();

        DynamoDbClient dynamoDb = local.dynamoDbClient();
        dynamoDb.createTable(request -> request.tableName(application).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key -> key.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(attribute -> attribute.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
        dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(application));
        put(dynamoDb, application, Map.of("leaseKey", s("shardId-000000000000"), "leaseOwner", s("old-kcl-worker"),
                "leaseCounter", n(41), "ownerSwitchesSinceCheckpoint", n(0), "checkpoint", s(checkpointed),
                "checkpointSubSequenceNumber", n(0), "throughputKBps", n(12)));
        put(dynamoDb, application, Map.of("leaseKey", s("shardId-000000000001"), "leaseCounter", n(3),
                "ownerSwitchesSinceCheckpoint", n(1), "checkpoint", s("TRIM_HORIZON"), "checkpointSubSequenceNumber", n(0)));
        put(dynamoDb, application, Map.of("leaseKey", s("old-kcl-worker"), "entityType", s("WORKER_METRIC_STATS"),
                "leaseCounter", n(1)));
        put(dynamoDb, application, Map.of("leaseKey", s("Migration3.0"), "cv", s("3.x")));

        RecordingProcessor.Recorder recorder = new RecordingProcessor.Recorder();
        List<String> expected = written.stream().filter(payload -> !payloadsUpTo(shard0, 4).contains(payload)).toList();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            Worker worker = fixture.start(application, stream, "new-worker", recorder);
            // shard 1 is free and taken at once; shard 0 is held by a silent KCL worker until the failover time.
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.leases().size() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.distinctPayloads().containsAll(expected));
        }
        assertThat(recorder.payloads).containsExactlyInAnyOrderElementsOf(expected);

        Map<String, AttributeValue> lease0 = get(dynamoDb, application, "shardId-000000000000");
        assertThat(lease0.get("throughputKBps").n()).isEqualTo("12");
        assertThat(lease0.get("checkpoint").s()).isEqualTo(shard0.get(shard0.size() - 1).sequenceNumber());
        assertThat(get(dynamoDb, application, "old-kcl-worker").get("entityType").s()).isEqualTo("WORKER_METRIC_STATS");
        assertThat(get(dynamoDb, application, "Migration3.0")).containsKey("cv");
    }

    private static List<String> payloadsUpTo(List<Record> records, int index) {
        return records.subList(0, index + 1).stream().map(record -> record.data().asUtf8String()).toList();
    }

    private static List<Record> readAll(LocalKinesis local, String stream, String shardId) {
        String iterator = local.kinesisClient().getShardIterator(request -> request.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return local.kinesisClient().getRecords(request -> request.shardIterator(iterator)).records();
    }

    private static void put(DynamoDbClient dynamoDb, String table, Map<String, AttributeValue> item) {
        dynamoDb.putItem(request -> request.tableName(table).item(new HashMap<>(item)));
    }

    private static Map<String, AttributeValue> get(DynamoDbClient dynamoDb, String table, String key) {
        return dynamoDb.getItem(request -> request.tableName(table).key(Map.of("leaseKey", s(key))).consistentRead(true))
                .item();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
