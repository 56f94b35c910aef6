package dev.kclboot.multilang.lease;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Gives up the lease of a shard whose child failed, in the lease table itself: owner removed and counter + 1, on the
 * condition that this worker still owns it at the counter just read (the KCL's eviction). The engine then sees its
 * next renewal fail, treats the lease as lost (the processor is shut down as ZOMBIE) and this or another worker takes
 * the lease again from its checkpoint. Nothing after the checkpoint is lost: it is read again.
 * <p>
 * A workaround: the engine's processor API has no way to say "end this shard's tenure and release it" (a failing
 * {@code processRecords} is retried with the same batch, which a new child could not be given without the records
 * since the checkpoint). The attribute names are the KCL's, which the lease table must keep anyway.
 */
public final class LeaseReleaser {

    private static final Logger logger = LoggerFactory.getLogger(LeaseReleaser.class);

    private static final int ATTEMPTS = 3;

    private final DynamoDbClient dynamoDb;

    private final String tableName;

    private final String workerId;

    public LeaseReleaser(DynamoDbClient dynamoDb, String tableName, String workerId) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.workerId = workerId;
    }

    /**
     * @return true when this call released the lease; false when this worker no longer owned it or DynamoDB could
     * not be reached (the lease then expires after the failover time)
     */
    public boolean release(String leaseKey) {
        Map<String, AttributeValue> key = Map.of("leaseKey", AttributeValue.fromS(leaseKey));
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                GetItemResponse current = dynamoDb.getItem(request -> request.tableName(tableName).key(key)
                        .consistentRead(true));
                AttributeValue owner = current.item().get("leaseOwner");
                AttributeValue counter = current.item().get("leaseCounter");
                if (owner == null || !workerId.equals(owner.s()) || counter == null) {
                    return false;
                }
                long next = Long.parseLong(counter.n()) + 1;
                try {
                    dynamoDb.updateItem(request -> request.tableName(tableName).key(key)
                            .updateExpression("SET #counter = :next REMOVE #owner")
                            .conditionExpression("#counter = :seen AND #owner = :me")
                            .expressionAttributeNames(Map.of("#counter", "leaseCounter", "#owner", "leaseOwner"))
                            .expressionAttributeValues(Map.of(":next", AttributeValue.fromN(Long.toString(next)),
                                    ":seen", counter, ":me", AttributeValue.fromS(workerId))));
                    logger.info("Released lease {} so that its shard restarts from its checkpoint", leaseKey);
                    return true;
                }
                catch (ConditionalCheckFailedException ex) {
                    // Renewed between the read and the write: read again.
                }
            }
            return false;
        }
        catch (SdkException ex) {
            logger.warn("Could not release lease {} ({}); it expires after the failover time", leaseKey, ex.toString());
            return false;
        }
    }
}
