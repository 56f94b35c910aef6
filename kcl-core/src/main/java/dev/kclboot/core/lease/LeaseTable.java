package dev.kclboot.core.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import static dev.kclboot.core.lease.LeaseSerializer.CHECKPOINT;
import static dev.kclboot.core.lease.LeaseSerializer.CHECKPOINT_SUB;
import static dev.kclboot.core.lease.LeaseSerializer.CHILD_SHARD_IDS;
import static dev.kclboot.core.lease.LeaseSerializer.LEASE_COUNTER;
import static dev.kclboot.core.lease.LeaseSerializer.LEASE_KEY;
import static dev.kclboot.core.lease.LeaseSerializer.LEASE_OWNER;
import static dev.kclboot.core.lease.LeaseSerializer.OWNER_SWITCHES;
import static dev.kclboot.core.lease.LeaseSerializer.PENDING_CHECKPOINT;
import static dev.kclboot.core.lease.LeaseSerializer.PENDING_CHECKPOINT_SUB;
import static dev.kclboot.core.lease.LeaseSerializer.number;

/**
 * The DynamoDB lease table. Every change of ownership or progress is a conditional UpdateItem on
 * {@code leaseCounter} (the fencing token) and {@code leaseOwner}, and increments the counter, as in the KCL. Only the
 * attributes a change concerns are written, so attributes this engine does not know (KCL 3's {@code throughputKBps},
 * a GSI's keys) are left alone.
 */
public class LeaseTable {

    private static final Logger logger = LoggerFactory.getLogger(LeaseTable.class);

    private final DynamoDbClient dynamoDb;

    private final String tableName;

    public LeaseTable(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    /**
     * Creates the table when it is missing (hash key {@code leaseKey}) and waits until it is ACTIVE.
     * @return true when this call created it
     */
    public boolean createIfNotExists(BillingMode billingMode, Duration timeout) {
        if (isActive()) {
            return false;
        }
        boolean created = false;
        try {
            dynamoDb.createTable(request -> {
                request.tableName(tableName).billingMode(billingMode)
                        .keySchema(key -> key.attributeName(LEASE_KEY).keyType(KeyType.HASH))
                        .attributeDefinitions(attribute -> attribute.attributeName(LEASE_KEY)
                                .attributeType(ScalarAttributeType.S));
                if (billingMode == BillingMode.PROVISIONED) {
                    request.provisionedThroughput(throughput -> throughput.readCapacityUnits(10L).writeCapacityUnits(10L));
                }
            });
            created = true;
            logger.info("Created lease table {} ({})", tableName, billingMode);
        }
        catch (ResourceInUseException ex) {
            // Another worker created it at the same moment.
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isActive()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Lease table " + tableName + " was not ACTIVE within " + timeout);
            }
            sleep(100);
        }
        return created;
    }

    /** Whether the table exists and is ACTIVE (one DescribeTable call). */
    public boolean isActive() {
        try {
            return dynamoDb.describeTable(request -> request.tableName(tableName)).table()
                    .tableStatus() == TableStatus.ACTIVE;
        }
        catch (ResourceNotFoundException ex) {
            return false;
        }
    }

    /** Every lease in the table (consistent scan; items that are not leases are skipped). */
    public List<Lease> listLeases() {
        List<Lease> leases = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> exclusiveStart = startKey;
            ScanResponse response = dynamoDb.scan(request -> request.tableName(tableName).consistentRead(true)
                    .exclusiveStartKey(exclusiveStart));
            response.items().forEach(item -> LeaseSerializer.fromItem(item).ifPresent(leases::add));
            startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        }
        while (startKey != null);
        return leases;
    }

    public Optional<Lease> getLease(String leaseKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(request -> request.tableName(tableName)
                .key(key(leaseKey)).consistentRead(true)).item();
        return (item == null || item.isEmpty()) ? Optional.empty() : LeaseSerializer.fromItem(item);
    }

    /** Creates the lease unless one with its key exists; returns whether it was created. */
    public boolean createLeaseIfNotExists(Lease lease) {
        try {
            dynamoDb.putItem(request -> request.tableName(tableName).item(LeaseSerializer.toItem(lease))
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", LEASE_KEY)));
            return true;
        }
        catch (ConditionalCheckFailedException ex) {
            return false;
        }
    }

    /** Increments the counter of a lease this worker holds. */
    public Lease renew(Lease held) {
        long next = held.leaseCounter() + 1;
        update(held, "SET #counter = :next", Map.of(":next", number(next)), Map.of());
        return held.withOwnerAndCounter(held.leaseOwner(), next, held.ownerSwitchesSinceCheckpoint());
    }

    /**
     * Takes a lease as last observed (free, expired or another worker's): owner set, counter and owner switches
     * incremented, on condition that nobody changed it since it was observed.
     */
    public Lease take(Lease observed, String newOwner) {
        long next = observed.leaseCounter() + 1;
        long switches = observed.ownerSwitchesSinceCheckpoint() + 1;
        update(observed, "SET #counter = :next, #owner = :newOwner, #switches = :switches",
                Map.of(":next", number(next), ":newOwner", AttributeValue.fromS(newOwner), ":switches", number(switches)),
                Map.of("#switches", OWNER_SWITCHES));
        return observed.withOwnerAndCounter(newOwner, next, switches);
    }

    /** Gives up a held lease: owner removed, counter incremented, so peers can take it at once. */
    public Lease release(Lease held) {
        long next = held.leaseCounter() + 1;
        update(held, "SET #counter = :next REMOVE #owner", Map.of(":next", number(next)), Map.of());
        return held.withOwnerAndCounter(null, next, held.ownerSwitchesSinceCheckpoint());
    }

    /** Stores a checkpoint of a held lease (clears a pending checkpoint and the owner-switch count). */
    public Lease checkpoint(Lease held, ExtendedSequenceNumber checkpoint) {
        long next = held.leaseCounter() + 1;
        update(held, "SET #counter = :next, #checkpoint = :checkpoint, #checkpointSub = :sub, #switches = :zero "
                        + "REMOVE #pending, #pendingSub",
                Map.of(":next", number(next), ":checkpoint", AttributeValue.fromS(checkpoint.sequenceNumber()),
                        ":sub", number(checkpoint.subSequenceNumber()), ":zero", number(0)),
                Map.of("#checkpoint", CHECKPOINT, "#checkpointSub", CHECKPOINT_SUB, "#switches", OWNER_SWITCHES,
                        "#pending", PENDING_CHECKPOINT, "#pendingSub", PENDING_CHECKPOINT_SUB));
        return held.withCheckpoint(checkpoint, next);
    }

    /** Records the children of a finished shard on its lease (metadata only: no counter condition). */
    public void addChildShardIds(String leaseKey, Set<String> childShardIds) {
        if (childShardIds.isEmpty()) {
            return;
        }
        try {
            dynamoDb.updateItem(request -> request.tableName(tableName).key(key(leaseKey))
                    .updateExpression("ADD #children :children").conditionExpression("attribute_exists(#key)")
                    .expressionAttributeNames(Map.of("#children", CHILD_SHARD_IDS, "#key", LEASE_KEY))
                    .expressionAttributeValues(Map.of(":children", AttributeValue.fromSs(List.copyOf(childShardIds)))));
        }
        catch (ConditionalCheckFailedException ex) {
            // The parent lease was already cleaned up.
        }
    }

    /** Deletes a lease (cleanup of parents whose children have all started). */
    public void deleteLease(String leaseKey) {
        dynamoDb.deleteItem(request -> request.tableName(tableName).key(key(leaseKey)));
    }

    private void update(Lease expected, String updateExpression, Map<String, AttributeValue> values,
            Map<String, String> extraNames) {
        Map<String, String> names = new HashMap<>(extraNames);
        names.put("#counter", LEASE_COUNTER);
        names.put("#owner", LEASE_OWNER);
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":expectedCounter", number(expected.leaseCounter()));
        String condition;
        if (expected.leaseOwner() == null) {
            condition = "#counter = :expectedCounter AND attribute_not_exists(#owner)";
        }
        else {
            condition = "#counter = :expectedCounter AND #owner = :expectedOwner";
            allValues.put(":expectedOwner", AttributeValue.fromS(expected.leaseOwner()));
        }
        UpdateItemRequest request = UpdateItemRequest.builder().tableName(tableName).key(key(expected.leaseKey()))
                .updateExpression(updateExpression).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(allValues).build();
        try {
            dynamoDb.updateItem(request);
        }
        catch (ConditionalCheckFailedException ex) {
            throw new LeaseLostException(expected.leaseKey());
        }
    }

    private static Map<String, AttributeValue> key(String leaseKey) {
        return Map.of(LEASE_KEY, AttributeValue.fromS(leaseKey));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the lease table", ex);
        }
    }
}
