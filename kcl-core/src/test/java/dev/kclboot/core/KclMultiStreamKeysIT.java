package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A multi-stream table in the KCL's multi-stream form moves to this engine and back: lease keys
 * {@code account:stream:creationEpoch:shardId}, with the {@code streamName} and {@code shardId} attributes the KCL
 * writes; a checkpoint written by the KCL is continued; the rows this engine creates are in the same form and carry
 * {@code entityType} LEASE as KCL 3 writes it. A table can also be created with KCL 3's LeaseOwnerToLeaseKeyIndex.
 */
@EmbeddedKinesis
class KclMultiStreamKeysIT {

    @Test
    void continuesAKclMultiStreamTableAndWritesItsKeyForm(LocalKinesis local) {
        String orders = local.createStream(1);
        String payments = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        List<String> before = TestStreams.put(local, orders, "old", 6, 1);
        String prefix = kclPrefix(local, orders);
        String paymentsPrefix = kclPrefix(local, payments);
        // A row as the KCL's multi-stream mode leaves it: checkpointed at the 4th record of orders' shard.
        DynamoDbLeaseTable table = new DynamoDbLeaseTable(local.dynamoDbClient(), application);
        table.createIfNotExists(BillingMode.PAY_PER_REQUEST, Duration.ofSeconds(10));
        String fourth = local.kinesisClient().getRecords(request -> request.shardIterator(local.kinesisClient()
                .getShardIterator(iterator -> iterator.streamName(orders).shardId("shardId-000000000000")
                        .shardIteratorType("TRIM_HORIZON")).shardIterator())).records().get(3).sequenceNumber();
        String kclKey = prefix + "shardId-000000000000";
        local.dynamoDbClient().putItem(request -> request.tableName(application).item(Map.of(
                "leaseKey", AttributeValue.fromS(kclKey), "leaseCounter", AttributeValue.fromN("12"),
                "ownerSwitchesSinceCheckpoint", AttributeValue.fromN("0"), "checkpoint", AttributeValue.fromS(fourth),
                "checkpointSubSequenceNumber", AttributeValue.fromN("0"),
                "streamName", AttributeValue.fromS(prefix.substring(0, prefix.length() - 1)),
                "shardId", AttributeValue.fromS("shardId-000000000000"))));
        Map<String, Queue<String>> byStream = new ConcurrentHashMap<>();
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, orders, "worker-a", stream -> new Collecting(
                    byStream.computeIfAbsent(stream, key -> new ConcurrentLinkedQueue<>())),
                    builder -> builder.streams(List.of(orders, payments))
                            .multiStreamLeaseKeys(MultiStreamLeaseKeys.KCL));
            List<String> after = TestStreams.put(local, orders, "new", 3, 1);
            List<String> paid = TestStreams.put(local, payments, "pay", 3, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> byStream.containsKey(orders)
                    && byStream.get(orders).size() >= 2 + after.size() && byStream.containsKey(payments)
                    && byStream.get(payments).size() >= paid.size());
            assertThat(List.copyOf(byStream.get(orders))).as("after the KCL's checkpoint, nothing before it")
                    .containsExactly(before.get(4), before.get(5), after.get(0), after.get(1), after.get(2));
            assertThat(List.copyOf(byStream.get(payments))).containsExactlyElementsOf(paid);
        }
        Map<String, AttributeValue> created = local.dynamoDbClient().getItem(request -> request.tableName(application)
                .key(Map.of("leaseKey", AttributeValue.fromS(paymentsPrefix + "shardId-000000000000")))).item();
        assertThat(created).isNotEmpty();
        assertThat(created.get("streamName").s()).isEqualTo(paymentsPrefix.substring(0, paymentsPrefix.length() - 1));
        assertThat(created.get("shardId").s()).isEqualTo("shardId-000000000000");
        assertThat(created.get("entityType").s()).isEqualTo("LEASE");
        assertThat(table.listLeases()).extracting(lease -> lease.leaseKey())
                .containsExactlyInAnyOrder(kclKey, paymentsPrefix + "shardId-000000000000");
    }

    @Test
    void aNewLeaseTableCanCarryKcl3sLeaseOwnerIndex(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        try (WorkerFixture fixture = new WorkerFixture(local)) {
            fixture.start(application, stream, "worker-a", name -> new Collecting(new ConcurrentLinkedQueue<>()),
                    builder -> builder.kcl3LeaseOwnerIndex(true));
            TableDescription description = local.dynamoDbClient().describeTable(request -> request.tableName(application))
                    .table();
            assertThat(description.globalSecondaryIndexes()).singleElement().satisfies(index -> {
                assertThat(index.indexName()).isEqualTo(DynamoDbLeaseTable.KCL3_INDEX);
                assertThat(index.keySchema()).extracting(key -> key.attributeName() + " " + key.keyTypeAsString())
                        .containsExactly("leaseOwner HASH", "leaseKey RANGE");
                assertThat(index.projection().projectionTypeAsString()).isEqualTo("KEYS_ONLY");
            });
        }
    }

    private static String kclPrefix(LocalKinesis local, String stream) {
        StreamDescriptionSummary summary = local.kinesisClient().describeStreamSummary(request -> request
                .streamName(stream)).streamDescriptionSummary();
        return summary.streamARN().split(":")[4] + ":" + stream + ":" + summary.streamCreationTimestamp().getEpochSecond()
                + ":";
    }

    private static final class Collecting implements RecordProcessor {

        private final Queue<String> sink;

        Collecting(Queue<String> sink) {
            this.sink = sink;
        }

        @Override
        public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
            records.forEach(record -> sink.add(new String(record.dataBytes(), StandardCharsets.UTF_8)));
            checkpointer.checkpoint();
        }

        @Override
        public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
            if (reason != ShutdownReason.ZOMBIE) {
                checkpointer.checkpoint();
            }
        }
    }
}
