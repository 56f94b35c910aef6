package dev.kclboot.test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalKinesisTest {

    @Test
    void startsBothEmulatorsServesKinesisAndDynamoDbAndLeavesNoProcessAfterClose() {
        long kinesisPid;
        long dynamoDbPid;
        try (LocalKinesis local = LocalKinesis.start()) {
            kinesisPid = local.kinesisPid().orElseThrow();
            dynamoDbPid = local.dynamoDbPid().orElseThrow();
            assertThat(ProcessHandle.of(kinesisPid)).map(ProcessHandle::isAlive).contains(true);
            assertThat(ProcessHandle.of(dynamoDbPid)).map(ProcessHandle::isAlive).contains(true);

            putAndReadRecordsOnFourShards(local);
            roundTripItemWithConditionalWrite(local.dynamoDbClient());
        }
        assertThat(ProcessHandle.of(kinesisPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(dynamoDbPid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aRequestItsClientAbandonsMidBodyLeavesBothEmulatorsServing() throws IOException {
        try (LocalKinesis local = LocalKinesis.start()) {
            // dynalite used to die of this (an 'aborted' request error rethrown from its handler), and with it every
            // test sharing it: an SDK attempt timeout or a client closed mid-call does exactly this.
            abandonMidBody(local.dynamoDbEndpoint(), "DynamoDB_20120810.ListTables");
            abandonMidBody(local.kinesisEndpoint(), "Kinesis_20131202.ListStreams");
            assertThat(local.dynamoDbClient().listTables().tableNames()).isNotNull();
            assertThat(local.kinesisClient().listStreams().streamNames()).isNotNull();
            assertThat(ProcessHandle.of(local.dynamoDbPid().orElseThrow())).map(ProcessHandle::isAlive).contains(true);
            assertThat(ProcessHandle.of(local.kinesisPid().orElseThrow())).map(ProcessHandle::isAlive).contains(true);
        }
    }

    /** Sends the head and part of a body, then resets the connection (SO_LINGER 0), as a client that gives up. */
    private static void abandonMidBody(URI endpoint, String target) throws IOException {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            String head = "POST / HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\nContent-Type: application/x-amz-json-1.0"
                    + "\r\nX-Amz-Target: " + target + "\r\nContent-Length: 1000\r\n\r\n{\"Limit\":";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Let the emulator start reading the body before the reset.
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            socket.setSoLinger(true, 0);
        }
        LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
    }

    private void putAndReadRecordsOnFourShards(LocalKinesis local) {
        KinesisClient kinesis = local.kinesisClient();
        String stream = local.createStream(4);
        List<Shard> shards = kinesis.listShards(request -> request.streamName(stream)).shards();
        assertThat(shards).hasSize(4);

        for (int i = 0; i < 40; i++) {
            String data = "record-" + i;
            kinesis.putRecord(request -> request.streamName(stream).partitionKey("key-" + data)
                    .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
        }
        List<String> read = new ArrayList<>();
        for (Shard shard : shards) {
            String iterator = kinesis.getShardIterator(request -> request.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            kinesis.getRecords(request -> request.shardIterator(iterator).limit(1000)).records()
                    .forEach(record -> read.add(record.data().asUtf8String()));
        }
        assertThat(read).hasSize(40).contains("record-0", "record-39");
    }

    private void roundTripItemWithConditionalWrite(DynamoDbClient dynamoDb) {
        String table = LocalKinesis.uniqueName("table");
        dynamoDb.createTable(request -> request.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key -> key.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(attribute -> attribute.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
        dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(table));

        Map<String, AttributeValue> item = Map.of("leaseKey", AttributeValue.fromS("shard-1"),
                "leaseCounter", AttributeValue.fromN("1"));
        dynamoDb.putItem(request -> request.tableName(table).item(item).conditionExpression("attribute_not_exists(leaseKey)"));
        assertThatThrownBy(() -> dynamoDb.putItem(request -> request.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(leaseKey)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        dynamoDb.updateItem(request -> request.tableName(table).key(Map.of("leaseKey", AttributeValue.fromS("shard-1")))
                .updateExpression("SET leaseCounter = :next").conditionExpression("leaseCounter = :expected")
                .expressionAttributeValues(Map.of(":next", AttributeValue.fromN("2"), ":expected", AttributeValue.fromN("1"))));

        Map<String, AttributeValue> stored = dynamoDb.getItem(request -> request.tableName(table)
                .key(Map.of("leaseKey", AttributeValue.fromS("shard-1"))).consistentRead(true)).item();
        assertThat(Optional.ofNullable(stored.get("leaseCounter")).map(AttributeValue::n)).contains("2");
    }

    @Test
    void aPersistentDynamoDbCanBeStoppedAndRestartedWithItsTables() {
        try (LocalKinesis local = LocalKinesis.builder().persistentDynamoDb(true).start()) {
            String table = LocalKinesis.uniqueName("table");
            DynamoDbClient dynamoDb = local.dynamoDbClient();
            dynamoDb.createTable(request -> request.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH))
                    .attributeDefinitions(attribute -> attribute.attributeName("id").attributeType(ScalarAttributeType.S)));
            long firstPid = local.dynamoDbPid().orElseThrow();

            local.stopDynamoDb();
            assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThatThrownBy(() -> dynamoDb.listTables()).isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);

            local.restartDynamoDb();
            assertThat(local.dynamoDbPid().orElseThrow()).isNotEqualTo(firstPid);
            assertThat(dynamoDb.listTables().tableNames()).contains(table);
        }
    }

    @Test
    void missingNodeFailsWithMessageNamingNodeAndTheExternalEndpointSettings() {
        assertThatThrownBy(() -> LocalKinesis.builder().node("/nonexistent/bin/node").start())
                .isInstanceOf(EmulatorException.class)
                .hasMessageContaining("Node.js 18 or newer")
                .hasMessageContaining("/nonexistent/bin/node")
                .hasMessageContaining("kcl.test.node")
                .hasMessageContaining("KCL_TEST_KINESIS_ENDPOINT")
                .hasMessageContaining("KCL_TEST_DYNAMODB_ENDPOINT");
    }

    @Test
    void tooOldNodeVersionIsRejected() {
        assertThat(NodeRuntime.majorVersion("v16.20.2")).isEqualTo(16);
        assertThat(NodeRuntime.majorVersion("v20.20.2")).isEqualTo(20);
        assertThat(NodeRuntime.majorVersion("garbage")).isEqualTo(-1);
    }
}
