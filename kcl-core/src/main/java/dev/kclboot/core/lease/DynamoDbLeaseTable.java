package dev.kclboot.core.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import static dev.kclboot.core.lease.LeaseSerializer.CHECKPOINT;
import static dev.kclboot.core.lease.LeaseSerializer.CHECKPOINT_OWNER;
import static dev.kclboot.core.lease.LeaseSerializer.CHECKPOINT_OWNER_TIMEOUT;
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
 * The lease table in DynamoDB. Only the attributes a change concerns are written, so attributes this engine does not
 * know (KCL 3's {@code throughputKBps}, a GSI's keys) are left alone.
 * <p>
 * Writes that may have landed without this worker learning it are settled by a consistent read of the row: a
 * conditional write whose condition failed (the SDK may have retried a write that had landed after a 5xx or a
 * timeout), and a write that failed with a 5xx, a timeout or an I/O error. When the row shows exactly what the
 * write would have made it, the write counts as done; otherwise the lease is lost (condition failed) or the original
 * error is thrown.
 */
public class DynamoDbLeaseTable implements LeaseTable {

    private static final Logger logger = LoggerFactory.getLogger(DynamoDbLeaseTable.class);

    /** KCL 3's index of leases by owner. */
    public static final String KCL3_INDEX = "LeaseOwnerToLeaseKeyIndex";

    private static final java.util.regex.Pattern NAME_TOKEN = java.util.regex.Pattern.compile("#\\w+");

    private final DynamoDbClient dynamoDb;

    private final @Nullable DynamoDbAsyncClient asyncDynamoDb;

    private final String tableName;

    private final CallTimeouts renewalTimeouts;

    private final CallTimeouts writeTimeouts;

    private final CallTimeouts readTimeouts;

    /** A table used with the default failover time (10 s) for its call timeouts. */
    public DynamoDbLeaseTable(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, Duration.ofSeconds(10));
    }

    /**
     * @param failoverTime sizes the call timeouts, whatever the client's own settings: a renewal must be done (or
     * given up) within one renewal interval (failover / 3), each attempt within half of that, so one slow call
     * cannot starve a lease; other writes and reads get the failover time, attempts a third of it
     */
    public DynamoDbLeaseTable(DynamoDbClient dynamoDb, String tableName, Duration failoverTime) {
        this(dynamoDb, null, tableName, failoverTime);
    }

    /**
     * @param asyncDynamoDb when not null, renewals go through it ({@link #renewAsync}); every other call uses
     * {@code dynamoDb}
     * @param failoverTime sizes the call timeouts (see above)
     */
    public DynamoDbLeaseTable(DynamoDbClient dynamoDb, @Nullable DynamoDbAsyncClient asyncDynamoDb, String tableName,
            Duration failoverTime) {
        this.dynamoDb = dynamoDb;
        this.asyncDynamoDb = asyncDynamoDb;
        this.tableName = tableName;
        Duration renewalInterval = failoverTime.dividedBy(3);
        this.renewalTimeouts = new CallTimeouts(renewalInterval, renewalInterval.dividedBy(2));
        this.writeTimeouts = new CallTimeouts(failoverTime, failoverTime.dividedBy(3));
        this.readTimeouts = new CallTimeouts(failoverTime, failoverTime.dividedBy(3));
    }

    /** The SDK's whole-call and per-attempt timeouts of one kind of call. */
    private record CallTimeouts(Duration apiCall, Duration attempt) {

        void apply(software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder builder) {
            builder.apiCallTimeout(apiCall).apiCallAttemptTimeout(attempt);
        }
    }

    @Override
    public String tableName() {
        return tableName;
    }

    /**
     * Creates the table when it is missing (hash key {@code leaseKey}) and waits until it is ACTIVE.
     * @return true when this call created it
     */
    public boolean createIfNotExists(BillingMode billingMode, Duration timeout) {
        return createIfNotExists(billingMode, false, timeout);
    }

    /**
     * Creates the table when it is missing and waits until it is ACTIVE.
     * @param kcl3Index whether to create it with KCL 3's {@code LeaseOwnerToLeaseKeyIndex} (hash leaseOwner, range
     * leaseKey, keys only), so KCL 3.x workers find it in place
     * @return true when this call created it
     */
    public boolean createIfNotExists(BillingMode billingMode, boolean kcl3Index, Duration timeout) {
        if (isActive()) {
            return false;
        }
        boolean created = false;
        try {
            dynamoDb.createTable(request -> {
                request.tableName(tableName).billingMode(billingMode)
                        .keySchema(key -> key.attributeName(LEASE_KEY).keyType(KeyType.HASH));
                if (billingMode == BillingMode.PROVISIONED) {
                    request.provisionedThroughput(throughput -> throughput.readCapacityUnits(10L).writeCapacityUnits(10L));
                }
                if (kcl3Index) {
                    request.attributeDefinitions(
                            attribute -> attribute.attributeName(LEASE_KEY).attributeType(ScalarAttributeType.S),
                            attribute -> attribute.attributeName(LEASE_OWNER).attributeType(ScalarAttributeType.S))
                            .globalSecondaryIndexes(index -> {
                                index.indexName(KCL3_INDEX)
                                        .keySchema(key -> key.attributeName(LEASE_OWNER).keyType(KeyType.HASH),
                                                key -> key.attributeName(LEASE_KEY).keyType(KeyType.RANGE))
                                        .projection(projection -> projection.projectionType(
                                                software.amazon.awssdk.services.dynamodb.model.ProjectionType.KEYS_ONLY));
                                if (billingMode == BillingMode.PROVISIONED) {
                                    index.provisionedThroughput(throughput -> throughput.readCapacityUnits(10L)
                                            .writeCapacityUnits(10L));
                                }
                            });
                }
                else {
                    request.attributeDefinitions(attribute -> attribute.attributeName(LEASE_KEY)
                            .attributeType(ScalarAttributeType.S));
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

    @Override
    public List<Lease> listLeases() {
        List<Lease> leases = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> exclusiveStart = startKey;
            ScanResponse response = dynamoDb.scan(request -> request.tableName(tableName).consistentRead(true)
                    .exclusiveStartKey(exclusiveStart).overrideConfiguration(readTimeouts::apply));
            response.items().forEach(item -> LeaseSerializer.fromItem(item).ifPresent(leases::add));
            startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        }
        while (startKey != null);
        return leases;
    }

    @Override
    public Optional<Lease> getLease(String leaseKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(request -> request.tableName(tableName)
                .key(key(leaseKey)).consistentRead(true).overrideConfiguration(readTimeouts::apply)).item();
        return (item == null || item.isEmpty()) ? Optional.empty() : LeaseSerializer.fromItem(item);
    }

    @Override
    public boolean createLeaseIfNotExists(Lease lease) {
        try {
            dynamoDb.putItem(createRequest(lease));
            return true;
        }
        catch (SdkException ex) {
            return createFailed(lease, ex);
        }
    }

    /**
     * Through the async client when the table has one, so the shard sync of a new 200-shard stream sends its creates
     * at once; settling an ambiguous failure continues on {@code blocking}.
     */
    @Override
    public CompletableFuture<Boolean> createLeaseIfNotExistsAsync(Lease lease, Executor blocking) {
        DynamoDbAsyncClient async = asyncDynamoDb;
        if (async == null) {
            return LeaseTable.super.createLeaseIfNotExistsAsync(lease, blocking);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        CompletableFuture<?> call;
        try {
            call = async.putItem(createRequest(lease));
        }
        catch (RuntimeException ex) {
            call = CompletableFuture.failedFuture(ex);
        }
        call.whenComplete((response, failure) -> {
            if (failure == null) {
                result.complete(true);
                return;
            }
            Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
                    ? failure.getCause() : failure;
            if (cause instanceof ConditionalCheckFailedException) {
                result.complete(false);
            }
            else if (cause instanceof SdkException sdk && mayHaveLanded(sdk)) {
                try {
                    blocking.execute(() -> {
                        try {
                            result.complete(createFailed(lease, sdk));
                        }
                        catch (RuntimeException ex) {
                            result.completeExceptionally(ex);
                        }
                    });
                }
                catch (RejectedExecutionException ex) {
                    result.completeExceptionally(sdk); // The worker is stopping.
                }
            }
            else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    private PutItemRequest createRequest(Lease lease) {
        return PutItemRequest.builder().tableName(tableName).item(LeaseSerializer.toItem(lease))
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", LEASE_KEY)).build();
    }

    /** What a failed create means: false when the row exists (a peer made it, or a retried first attempt). */
    private boolean createFailed(Lease lease, SdkException failure) {
        if (failure instanceof ConditionalCheckFailedException) {
            return false;
        }
        if (!mayHaveLanded(failure)) {
            throw failure;
        }
        // The put may have landed: the row existing is all that matters (whoever made it).
        if (readBack(lease.leaseKey(), failure).isPresent()) {
            return false;
        }
        throw failure;
    }

    @Override
    public Lease renew(Lease held) {
        long counter = updateOwned(held, "", "", Map.of(), Map.of(), renewalTimeouts,
                row -> row.leaseCounter() > held.leaseCounter());
        return held.withCounter(counter);
    }

    @Override
    public Lease take(Lease observed, String newOwner) {
        Take take = new Take(observed, newOwner);
        update(observed, Take.EXPRESSION, take.values(), Take.NAMES, take::landed);
        return take.lease();
    }

    /**
     * Through the async client when the table has one, so a worker starting on 200 free leases sends its takes at
     * once instead of a pool's worth at a time; settling an ambiguous failure continues on {@code blocking}.
     */
    @Override
    public CompletableFuture<Lease> takeAsync(Lease observed, String newOwner, Executor blocking) {
        DynamoDbAsyncClient async = asyncDynamoDb;
        if (async == null) {
            return LeaseTable.super.takeAsync(observed, newOwner, blocking);
        }
        Take take = new Take(observed, newOwner);
        FencedWrite write = new FencedWrite(observed, Take.EXPRESSION, take.values(), Take.NAMES, take::landed);
        return sendAsync(async, write.request, blocking, response -> take.lease(), failure -> {
            write.settle(failure);
            return take.lease();
        });
    }

    /** What taking a lease writes, and how the row shows that it did. */
    private record Take(Lease observed, String newOwner, long next, long switches) {

        static final String EXPRESSION = "SET #counter = :next, #owner = :newOwner, #switches = :switches "
                + "REMOVE #co, #cot";

        static final Map<String, String> NAMES = Map.of("#switches", OWNER_SWITCHES, "#co", CHECKPOINT_OWNER,
                "#cot", CHECKPOINT_OWNER_TIMEOUT);

        Take(Lease observed, String newOwner) {
            this(observed, newOwner, observed.leaseCounter() + 1, observed.isOwnedBy(newOwner)
                    ? observed.ownerSwitchesSinceCheckpoint() : observed.ownerSwitchesSinceCheckpoint() + 1);
        }

        Map<String, AttributeValue> values() {
            return Map.of(":next", number(next), ":newOwner", AttributeValue.fromS(newOwner), ":switches",
                    number(switches));
        }

        boolean landed(Lease row) {
            return newOwner.equals(row.leaseOwner()) && row.leaseCounter() == next && !row.isHandoffPending();
        }

        Lease lease() {
            return observed.withOwnerAndCounter(newOwner, next, switches);
        }
    }

    @Override
    public Lease release(Lease held) {
        if (held.isHandoffPending()) {
            long counter = updateOwned(held, "", "#co, #cot", Map.of(),
                    Map.of("#co", CHECKPOINT_OWNER, "#cot", CHECKPOINT_OWNER_TIMEOUT), writeTimeouts,
                    row -> !row.isHandoffPending());
            return held.withOwnerAndCounter(held.leaseOwner(), counter, held.ownerSwitchesSinceCheckpoint());
        }
        long counter = updateOwned(held, "", "#owner", Map.of(), Map.of(), writeTimeouts, row -> row.leaseOwner() == null);
        return held.withOwnerAndCounter(null, counter, held.ownerSwitchesSinceCheckpoint());
    }

    @Override
    public Lease requestHandoff(Lease observed, String newOwner, long timeoutMillis) {
        String owner = Objects.requireNonNull(observed.leaseOwner(), "a handoff needs an owner");
        long next = observed.leaseCounter() + 1;
        update(observed, "SET #counter = :next, #owner = :newOwner, #co = :oldOwner, #cot = :timeout, "
                        + "#switches = :switches",
                Map.of(":next", number(next), ":newOwner", AttributeValue.fromS(newOwner),
                        ":oldOwner", AttributeValue.fromS(owner), ":timeout", number(timeoutMillis),
                        ":switches", number(observed.ownerSwitchesSinceCheckpoint() + 1)),
                Map.of("#co", CHECKPOINT_OWNER, "#cot", CHECKPOINT_OWNER_TIMEOUT, "#switches", OWNER_SWITCHES),
                row -> newOwner.equals(row.leaseOwner()) && owner.equals(row.checkpointOwner())
                        && row.leaseCounter() == next);
        return observed.handedTo(newOwner, next, timeoutMillis);
    }

    @Override
    public Lease takeOverHandoff(Lease observed, String newOwner) {
        String previous = Objects.requireNonNull(observed.checkpointOwner(), "no handoff in progress");
        try {
            Map<String, AttributeValue> updated = dynamoDb.updateItem(request -> request.tableName(tableName)
                    .key(key(observed.leaseKey()))
                    .updateExpression("ADD #counter :one REMOVE #co, #cot")
                    .conditionExpression("#owner = :me AND #co = :previous")
                    .expressionAttributeNames(Map.of("#counter", LEASE_COUNTER, "#owner", LEASE_OWNER,
                            "#co", CHECKPOINT_OWNER, "#cot", CHECKPOINT_OWNER_TIMEOUT))
                    .expressionAttributeValues(Map.of(":one", number(1), ":me", AttributeValue.fromS(newOwner),
                            ":previous", AttributeValue.fromS(previous)))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
            return LeaseSerializer.fromItem(updated).orElseThrow(() -> new LeaseLostException(observed.leaseKey()));
        }
        catch (ConditionalCheckFailedException ex) {
            // Completed by the previous owner meanwhile, or already taken over (this call's landed first attempt).
            Optional<Lease> row = readBack(observed.leaseKey(), ex);
            if (row.isPresent() && row.get().isOwnedBy(newOwner) && !row.get().isHandoffPending()) {
                return row.get();
            }
            throw new LeaseLostException(observed.leaseKey());
        }
        catch (SdkException ex) {
            if (mayHaveLanded(ex)) {
                Optional<Lease> row = readBack(observed.leaseKey(), ex);
                if (row.isPresent() && row.get().isOwnedBy(newOwner) && !row.get().isHandoffPending()) {
                    return row.get();
                }
            }
            throw ex;
        }
    }

    @Override
    public Lease checkpoint(Lease held, ExtendedSequenceNumber checkpoint) {
        long counter = updateOwned(held, "#checkpoint = :checkpoint, #checkpointSub = :sub, #switches = :zero",
                "#pending, #pendingSub",
                Map.of(":checkpoint", AttributeValue.fromS(checkpoint.sequenceNumber()),
                        ":sub", number(checkpoint.subSequenceNumber()), ":zero", number(0)),
                Map.of("#checkpoint", CHECKPOINT, "#checkpointSub", CHECKPOINT_SUB, "#switches", OWNER_SWITCHES,
                        "#pending", PENDING_CHECKPOINT, "#pendingSub", PENDING_CHECKPOINT_SUB), writeTimeouts,
                row -> row.checkpoint().equals(checkpoint));
        return held.withCheckpoint(checkpoint, counter);
    }

    @Override
    public void addChildShardIds(String leaseKey, Set<String> childShardIds) {
        if (childShardIds.isEmpty()) {
            return;
        }
        try {
            dynamoDb.updateItem(request -> request.tableName(tableName).key(key(leaseKey))
                    .updateExpression("ADD #children :children").conditionExpression("attribute_exists(#key)")
                    .expressionAttributeNames(Map.of("#children", CHILD_SHARD_IDS, "#key", LEASE_KEY))
                    .expressionAttributeValues(Map.of(":children", AttributeValue.fromSs(
                            childShardIds.stream().sorted().toList()))));
        }
        catch (ConditionalCheckFailedException ex) {
            // The parent lease was already cleaned up.
        }
    }

    @Override
    public boolean deleteFinishedLease(Lease finished) {
        try {
            dynamoDb.deleteItem(request -> request.tableName(tableName).key(key(finished.leaseKey()))
                    .conditionExpression("#checkpoint = :shardEnd AND #counter = :counter")
                    .expressionAttributeNames(Map.of("#checkpoint", CHECKPOINT, "#counter", LEASE_COUNTER))
                    .expressionAttributeValues(Map.of(":shardEnd",
                            AttributeValue.fromS(ExtendedSequenceNumber.SHARD_END.sequenceNumber()),
                            ":counter", number(finished.leaseCounter()))));
            return true;
        }
        catch (ConditionalCheckFailedException ex) {
            // Gone already (a peer's cleaner, or this call's landed first attempt), or changed: read which.
            return readBack(finished.leaseKey(), ex).isEmpty();
        }
        catch (SdkException ex) {
            if (!mayHaveLanded(ex)) {
                throw ex;
            }
            if (readBack(finished.leaseKey(), ex).isEmpty()) {
                return true;
            }
            throw ex;
        }
    }

    /**
     * A write by the worker that holds the lease: conditional on it still being the owner (or, while it drains a lease
     * being handed over, the checkpoint owner), not on the counter, which it increments with ADD. So a renewal and a
     * checkpoint of the same lease commute: neither waits for the other, and neither can fail the other's condition.
     * A peer that takes the lease changes the owner, which fails this condition (fencing); the counter still moves
     * with every write, which is what peers judge expiry by.
     * @return the counter after the write
     */
    private long updateOwned(Lease held, String set, String remove, Map<String, AttributeValue> values,
            Map<String, String> extraNames, CallTimeouts timeouts, Predicate<Lease> landed) {
        OwnedWrite write = new OwnedWrite(held, set, remove, values, extraNames, timeouts, landed);
        try {
            return write.counterAfter(dynamoDb.updateItem(write.request));
        }
        catch (SdkException ex) {
            return write.settle(ex);
        }
    }

    /**
     * Through the async client when the table has one: the call holds no thread while in flight, so hundreds of
     * leases renew on the client's event loop instead of a pool sized by rate × latency. Only a failure that needs the
     * row read back (a failed condition, a call that may have landed) continues on {@code blocking}.
     */
    @Override
    public CompletableFuture<Lease> renewAsync(Lease held, Executor blocking) {
        DynamoDbAsyncClient async = asyncDynamoDb;
        if (async == null) {
            return LeaseTable.super.renewAsync(held, blocking);
        }
        OwnedWrite write = new OwnedWrite(held, "", "", Map.of(), Map.of(), renewalTimeouts,
                row -> row.leaseCounter() > held.leaseCounter());
        return sendAsync(async, write.request, blocking, response -> held.withCounter(write.counterAfter(response)),
                failure -> held.withCounter(write.settle(failure)));
    }

    /**
     * Sends an UpdateItem through the async client. A failure that needs the row read back (a failed condition, a
     * call that may have landed) is settled on {@code blocking}; any other fails the outcome as it is.
     */
    private static CompletableFuture<Lease> sendAsync(DynamoDbAsyncClient async, UpdateItemRequest request,
            Executor blocking, java.util.function.Function<UpdateItemResponse, Lease> done,
            java.util.function.Function<SdkException, Lease> settle) {
        CompletableFuture<Lease> result = new CompletableFuture<>();
        CompletableFuture<UpdateItemResponse> call;
        try {
            call = async.updateItem(request);
        }
        catch (RuntimeException ex) {
            call = CompletableFuture.failedFuture(ex);
        }
        call.whenComplete((response, failure) -> {
            if (failure == null) {
                result.complete(done.apply(response));
                return;
            }
            Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
                    ? failure.getCause() : failure;
            if (!(cause instanceof SdkException sdk)
                    || !(sdk instanceof ConditionalCheckFailedException || mayHaveLanded(sdk))) {
                result.completeExceptionally(cause);
                return;
            }
            try {
                blocking.execute(() -> {
                    try {
                        result.complete(settle.apply(sdk));
                    }
                    catch (RuntimeException ex) {
                        result.completeExceptionally(ex);
                    }
                });
            }
            catch (RejectedExecutionException ex) {
                result.completeExceptionally(sdk); // The worker is stopping.
            }
        });
        return result;
    }

    /** One conditional write by the owner ({@link #updateOwned}): the request, and how a failure of it is settled. */
    private final class OwnedWrite {

        final UpdateItemRequest request;

        private final Lease held;

        private final String writer;

        private final boolean draining;

        private final boolean releasing;

        private final Predicate<Lease> landed;

        OwnedWrite(Lease held, String set, String remove, Map<String, AttributeValue> values,
                Map<String, String> extraNames, CallTimeouts timeouts, Predicate<Lease> landed) {
            // (A release removes the owner, so its success cannot be checked by ownership afterwards.)
            this.held = held;
            this.landed = landed;
            this.writer = Objects.requireNonNull(held.actualOwner(), "only a held lease is written this way");
            this.draining = held.isHandoffPending();
            Map<String, String> names = new HashMap<>(extraNames);
            names.put("#counter", LEASE_COUNTER);
            names.put(draining ? "#co" : "#owner", draining ? CHECKPOINT_OWNER : LEASE_OWNER);
            if (remove.contains("#owner")) {
                names.put("#owner", LEASE_OWNER);
            }
            Map<String, AttributeValue> allValues = new HashMap<>(values);
            allValues.put(":one", number(1));
            allValues.put(":writer", AttributeValue.fromS(writer));
            String expression = (set.isEmpty() ? "" : "SET " + set + " ")
                    + (remove.isEmpty() ? "" : "REMOVE " + remove + " ") + "ADD #counter :one";
            String condition = (draining ? "#co" : "#owner") + " = :writer";
            this.request = UpdateItemRequest.builder().tableName(tableName).key(key(held.leaseKey()))
                    .updateExpression(expression).conditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(allValues).returnValues(ReturnValue.UPDATED_NEW)
                    .overrideConfiguration(timeouts::apply).build();
            this.releasing = remove.contains("#owner") || remove.contains("#co");
        }

        long counterAfter(UpdateItemResponse response) {
            AttributeValue counter = response.attributes().get(LEASE_COUNTER);
            return counter == null ? held.leaseCounter() + 1 : Long.parseLong(counter.n());
        }

        private boolean stillOurs(Lease row) {
            return draining ? writer.equals(row.checkpointOwner())
                    : writer.equals(row.leaseOwner()) && !row.isHandoffPending();
        }

        /** The counter after the write when it landed after all; else throws what the failure means. */
        long settle(SdkException failure) {
            if (failure instanceof ConditionalCheckFailedException) {
                // The condition is ownership only: it failed because the lease is not ours any more, unless this is
                // a release whose first attempt had landed before the SDK retried it.
                Optional<Lease> row = readBack(held.leaseKey(), failure);
                if (releasing && row.isPresent() && landed.test(row.get())) {
                    return row.get().leaseCounter();
                }
                throw lostOrHandedOver(held, row);
            }
            if (!mayHaveLanded(failure)) {
                throw failure;
            }
            Optional<Lease> row = readBack(held.leaseKey(), failure);
            if (row.isPresent() && landed.test(row.get()) && (releasing || stillOurs(row.get()))) {
                logger.debug("Write to lease {} landed although the call failed ({})", held.leaseKey(),
                        failure.toString());
                return row.get().leaseCounter();
            }
            if (row.isEmpty() || (!releasing && !stillOurs(row.get()))) {
                throw lostOrHandedOver(held, row);
            }
            throw failure;
        }
    }

    private void update(Lease expected, String updateExpression, Map<String, AttributeValue> values,
            Map<String, String> extraNames, Predicate<Lease> landed) {
        FencedWrite write = new FencedWrite(expected, updateExpression, values, extraNames, landed);
        try {
            dynamoDb.updateItem(write.request);
        }
        catch (SdkException ex) {
            write.settle(ex);
        }
    }

    /** One write fenced by the counter ({@link #update}): the request, and how a failure of it is settled. */
    private final class FencedWrite {

        final UpdateItemRequest request;

        private final Lease expected;

        private final Predicate<Lease> landed;

        FencedWrite(Lease expected, String updateExpression, Map<String, AttributeValue> values,
                Map<String, String> extraNames, Predicate<Lease> landed) {
            this.expected = expected;
            this.landed = landed;
            Map<String, String> names = new HashMap<>(extraNames);
            names.put("#counter", LEASE_COUNTER);
            names.put("#owner", LEASE_OWNER);
            Map<String, AttributeValue> allValues = new HashMap<>(values);
            allValues.put(":expectedCounter", number(expected.leaseCounter()));
            String condition;
            if (expected.checkpointOwner() != null) {
                // Draining a lease being handed over: this worker is its checkpoint owner, not its owner any more.
                condition = "#counter = :expectedCounter AND #co = :expectedCheckpointOwner";
                names.put("#co", CHECKPOINT_OWNER);
                allValues.put(":expectedCheckpointOwner", AttributeValue.fromS(expected.checkpointOwner()));
            }
            else if (expected.leaseOwner() == null) {
                condition = "#counter = :expectedCounter AND attribute_not_exists(#owner)";
            }
            else {
                condition = "#counter = :expectedCounter AND #owner = :expectedOwner";
                allValues.put(":expectedOwner", AttributeValue.fromS(expected.leaseOwner()));
            }
            // DynamoDB refuses names and values that neither expression uses.
            Set<String> used = new java.util.HashSet<>();
            java.util.regex.Matcher tokens = NAME_TOKEN.matcher(updateExpression + " " + condition);
            while (tokens.find()) {
                used.add(tokens.group());
            }
            names.keySet().retainAll(used);
            this.request = UpdateItemRequest.builder().tableName(tableName).key(key(expected.leaseKey()))
                    .updateExpression(updateExpression).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(allValues)
                    .overrideConfiguration(writeTimeouts::apply).build();
        }

        /** Returns when the write landed after all; else throws what the failure means. */
        void settle(SdkException failure) {
            if (failure instanceof ConditionalCheckFailedException) {
                Optional<Lease> row = readBack(expected.leaseKey(), failure);
                if (row.filter(landed).isPresent()) {
                    logger.debug("Write to lease {} had landed before its retry failed the condition",
                            expected.leaseKey());
                    return;
                }
                throw lostOrHandedOver(expected, row);
            }
            if (!mayHaveLanded(failure)) {
                throw failure;
            }
            Optional<Lease> row = readBack(expected.leaseKey(), failure);
            if (row.filter(landed).isPresent()) {
                logger.debug("Write to lease {} landed although the call failed ({})", expected.leaseKey(),
                        failure.toString());
                return;
            }
            if (row.isEmpty() || row.get().leaseCounter() != expected.leaseCounter()
                    || !Objects.equals(row.get().leaseOwner(), expected.leaseOwner())) {
                // Neither ours nor as we left it: someone else changed it.
                throw lostOrHandedOver(expected, row);
            }
            throw failure;
        }
    }

    /** A write failed its condition: the lease is being handed away from the writer, or lost. */
    private static RuntimeException lostOrHandedOver(Lease expected, Optional<Lease> row) {
        String writer = expected.actualOwner();
        if (row.isPresent() && writer != null && writer.equals(row.get().checkpointOwner())
                && !writer.equals(row.get().leaseOwner())) {
            return new HandoffRequestedException(row.get());
        }
        return new LeaseLostException(expected.leaseKey());
    }

    /** Whether a failed write may have been executed anyway (5xx, timeout, I/O); a throttle or 4xx never was. */
    private static boolean mayHaveLanded(SdkException failure) {
        return AwsFailures.kindOf(failure) == FailureKind.TRANSIENT;
    }

    /** Reads the row after an ambiguous write; when the read fails too, the original failure is thrown. */
    private Optional<Lease> readBack(String leaseKey, RuntimeException original) {
        try {
            return getLease(leaseKey);
        }
        catch (SdkException readFailure) {
            original.addSuppressed(readFailure);
            throw original;
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
