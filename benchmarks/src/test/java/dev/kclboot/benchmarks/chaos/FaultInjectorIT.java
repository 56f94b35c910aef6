package dev.kclboot.benchmarks.chaos;

import java.util.EnumSet;
import java.util.Map;

import dev.kclboot.benchmarks.chaos.FaultInjector.Fault;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each fault of the {@link FaultInjector}, forced (rate 1, one kind enabled), against the real emulators: the caller
 * sees what the fault promises, and a write that is said to have landed did land.
 */
@EmbeddedKinesis
class FaultInjectorIT {

    @Test
    void error500AfterAConditionalWriteLandsTheWriteAndFailsTheSdkRetryOnItsCondition(LocalKinesis local) {
        String table = table(local);
        FaultInjector faults = new FaultInjector(1.0, 1, EnumSet.of(Fault.ERROR_500_AFTER_WRITE));
        try (DynamoDbClient dynamoDb = dynamoDb(local, faults)) {
            // The first attempt creates the row and gets a 500; the SDK's retry finds the row and fails its condition.
            assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName(table).item(item("k", "1"))
                    .conditionExpression("attribute_not_exists(leaseKey)")))
                    .isInstanceOf(ConditionalCheckFailedException.class);
            assertThat(local.dynamoDbClient().getItem(r -> r.tableName(table).key(key("k")).consistentRead(true))
                    .item()).containsEntry("v", AttributeValue.fromS("1"));
            assertThat(faults.counts()).containsExactly(Map.entry("DynamoDb:ERROR_500_AFTER_WRITE", 1L));
            // Reads are left alone when only this fault is enabled.
            assertThat(dynamoDb.getItem(r -> r.tableName(table).key(key("k"))).hasItem()).isTrue();
        }
    }

    @Test
    void timeoutAfterTheCallLandsItAndThrowsAReadTimeout(LocalKinesis local) {
        String table = table(local);
        FaultInjector faults = new FaultInjector(1.0, 2, EnumSet.of(Fault.TIMEOUT_AFTER));
        try (DynamoDbClient dynamoDb = dynamoDb(local, faults)) {
            assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName(table).item(item("k", "2"))))
                    .isInstanceOf(SdkClientException.class).hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(local.dynamoDbClient().getItem(r -> r.tableName(table).key(key("k")).consistentRead(true))
                    .hasItem()).isTrue();
            assertThat(faults.counts()).containsExactly(Map.entry("DynamoDb:TIMEOUT_AFTER", 1L));
        }
    }

    @Test
    void timeoutBeforeTheCallSendsNothing(LocalKinesis local) {
        String table = table(local);
        FaultInjector faults = new FaultInjector(1.0, 3, EnumSet.of(Fault.TIMEOUT_BEFORE));
        try (DynamoDbClient dynamoDb = dynamoDb(local, faults)) {
            assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName(table).item(item("k", "3"))))
                    .isInstanceOf(SdkClientException.class);
            assertThat(local.dynamoDbClient().getItem(r -> r.tableName(table).key(key("k")).consistentRead(true))
                    .hasItem()).isFalse();
        }
    }

    @Test
    void throttlingIsTheServicesOwnException(LocalKinesis local) {
        String stream = local.createStream(1);
        FaultInjector faults = new FaultInjector(1.0, 4, EnumSet.of(Fault.THROTTLE));
        try (KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(faults)).build();
                DynamoDbClient dynamoDb = dynamoDb(local, faults)) {
            assertThatThrownBy(() -> kinesis.listShards(r -> r.streamName(stream)))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            assertThatThrownBy(() -> dynamoDb.listTables())
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.class)
                    .satisfies(ex -> assertThat(((software.amazon.awssdk.awscore.exception.AwsServiceException) ex)
                            .isThrottlingException()).isTrue());
            assertThat(faults.counts()).containsOnly(Map.entry("DynamoDb:THROTTLE", 1L), Map.entry("Kinesis:THROTTLE", 1L));
            assertThat(faults.calls()).isEqualTo(2);
        }
    }

    @Test
    void theRateIsAShareOfCallsAndTheSeedRepeatsTheChoice(LocalKinesis local) {
        String table = table(local);
        FaultInjector first = new FaultInjector(0.1, 42, EnumSet.of(Fault.TIMEOUT_BEFORE));
        FaultInjector second = new FaultInjector(0.1, 42, EnumSet.of(Fault.TIMEOUT_BEFORE));
        String a = failures(local, table, first);
        String b = failures(local, table, second);
        assertThat(a).isEqualTo(b);
        long failed = a.chars().filter(c -> c == 'x').count();
        assertThat(failed).isBetween(5L, 40L); // 200 calls at 10 %: 20 expected, far outside this only if broken
    }

    private static String failures(LocalKinesis local, String table, FaultInjector faults) {
        StringBuilder pattern = new StringBuilder();
        try (DynamoDbClient dynamoDb = dynamoDb(local, faults)) {
            for (int i = 0; i < 200; i++) {
                try {
                    dynamoDb.getItem(r -> r.tableName(table).key(key("k")));
                    pattern.append('.');
                }
                catch (SdkClientException ex) {
                    pattern.append('x');
                }
            }
        }
        return pattern.toString();
    }

    private static String table(LocalKinesis local) {
        String table = LocalKinesis.uniqueName("faults");
        local.dynamoDbClient().createTable(r -> r.tableName(table)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S))
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST));
        return table;
    }

    private static DynamoDbClient dynamoDb(LocalKinesis local, FaultInjector faults) {
        return local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(faults)).build();
    }

    private static Map<String, AttributeValue> item(String key, String value) {
        return Map.of("leaseKey", AttributeValue.fromS(key), "v", AttributeValue.fromS(value));
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of("leaseKey", AttributeValue.fromS(key));
    }
}
