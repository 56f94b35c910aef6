package dev.kclboot.core.lease;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps leases to DynamoDB items with the KCL's attribute names and types, so a table can move between the KCL and
 * this engine. Never writes empty strings or empty sets (DynamoDB rejects them). Items that are not leases (KCL 3's
 * worker metrics, migration and leader rows) are skipped: {@code entityType} present and not {@code LEASE}, or no
 * {@code leaseCounter}.
 */
final class LeaseSerializer {

    static final String LEASE_KEY = "leaseKey";
    static final String LEASE_OWNER = "leaseOwner";
    static final String LEASE_COUNTER = "leaseCounter";
    static final String OWNER_SWITCHES = "ownerSwitchesSinceCheckpoint";
    static final String CHECKPOINT = "checkpoint";
    static final String CHECKPOINT_SUB = "checkpointSubSequenceNumber";
    static final String PENDING_CHECKPOINT = "pendingCheckpoint";
    static final String PENDING_CHECKPOINT_SUB = "pendingCheckpointSubSequenceNumber";
    static final String PARENT_SHARD_IDS = "parentShardId";
    static final String CHILD_SHARD_IDS = "childShardIds";
    static final String STARTING_HASH_KEY = "startingHashKey";
    static final String ENDING_HASH_KEY = "endingHashKey";
    static final String ENTITY_TYPE = "entityType";
    static final String CHECKPOINT_OWNER = "checkpointOwner";
    static final String KCL_STREAM_ID = "streamName";
    static final String KCL_SHARD_ID = "shardId";
    static final String CHECKPOINT_OWNER_TIMEOUT = "checkpointOwnerTimeoutTimestampMillis";

    private LeaseSerializer() {
    }

    static Map<String, AttributeValue> toItem(Lease lease) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LEASE_KEY, AttributeValue.fromS(lease.leaseKey()));
        if (lease.leaseOwner() != null) {
            item.put(LEASE_OWNER, AttributeValue.fromS(lease.leaseOwner()));
        }
        item.put(LEASE_COUNTER, number(lease.leaseCounter()));
        item.put(OWNER_SWITCHES, number(lease.ownerSwitchesSinceCheckpoint()));
        item.put(CHECKPOINT, AttributeValue.fromS(lease.checkpoint().sequenceNumber()));
        item.put(CHECKPOINT_SUB, number(lease.checkpoint().subSequenceNumber()));
        if (lease.pendingCheckpoint() != null) {
            item.put(PENDING_CHECKPOINT, AttributeValue.fromS(lease.pendingCheckpoint().sequenceNumber()));
            item.put(PENDING_CHECKPOINT_SUB, number(lease.pendingCheckpoint().subSequenceNumber()));
        }
        if (!lease.parentShardIds().isEmpty()) {
            item.put(PARENT_SHARD_IDS, AttributeValue.fromSs(lease.parentShardIds().stream().sorted().toList()));
        }
        if (!lease.childShardIds().isEmpty()) {
            item.put(CHILD_SHARD_IDS, AttributeValue.fromSs(lease.childShardIds().stream().sorted().toList()));
        }
        putIfText(item, STARTING_HASH_KEY, lease.startingHashKey());
        putIfText(item, ENDING_HASH_KEY, lease.endingHashKey());
        putIfText(item, CHECKPOINT_OWNER, lease.checkpointOwner());
        // As KCL 3 writes its leases (KCL 2.x ignores it); KCL 3's other rows carry other types.
        item.put(ENTITY_TYPE, AttributeValue.fromS("LEASE"));
        int lastColon = lease.leaseKey().lastIndexOf(':');
        if (lease.leaseKey().chars().filter(c -> c == ':').count() == 3) {
            // The KCL's multi-stream key account:stream:epoch:shardId: its multi-stream mode also reads these.
            item.put(KCL_STREAM_ID, AttributeValue.fromS(lease.leaseKey().substring(0, lastColon)));
            item.put(KCL_SHARD_ID, AttributeValue.fromS(lease.leaseKey().substring(lastColon + 1)));
        }
        if (lease.checkpointOwnerTimeoutMillis() != null) {
            item.put(CHECKPOINT_OWNER_TIMEOUT, number(lease.checkpointOwnerTimeoutMillis()));
        }
        return item;
    }

    /** The lease in the item, or empty when the item is not a lease. */
    static Optional<Lease> fromItem(Map<String, AttributeValue> item) {
        AttributeValue entityType = item.get(ENTITY_TYPE);
        if (entityType != null && !"LEASE".equals(entityType.s())) {
            return Optional.empty();
        }
        if (item.get(LEASE_COUNTER) == null || item.get(LEASE_KEY) == null) {
            return Optional.empty();
        }
        ExtendedSequenceNumber checkpoint = sequence(item, CHECKPOINT, CHECKPOINT_SUB);
        return Optional.of(new Lease(item.get(LEASE_KEY).s(), text(item, LEASE_OWNER), longValue(item, LEASE_COUNTER),
                longValue(item, OWNER_SWITCHES), checkpoint != null ? checkpoint : ExtendedSequenceNumber.TRIM_HORIZON,
                sequence(item, PENDING_CHECKPOINT, PENDING_CHECKPOINT_SUB), stringSet(item, PARENT_SHARD_IDS),
                stringSet(item, CHILD_SHARD_IDS), text(item, STARTING_HASH_KEY), text(item, ENDING_HASH_KEY),
                text(item, CHECKPOINT_OWNER), item.get(CHECKPOINT_OWNER_TIMEOUT) == null ? null
                        : longValue(item, CHECKPOINT_OWNER_TIMEOUT)));
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putIfText(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static @Nullable String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return (value == null || value.s() == null || value.s().isEmpty()) ? null : value.s();
    }

    private static long longValue(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return (value == null || value.n() == null) ? 0 : Long.parseLong(value.n());
    }

    private static Set<String> stringSet(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return (value == null || !value.hasSs()) ? Set.of() : Set.copyOf(value.ss());
    }

    private static @Nullable ExtendedSequenceNumber sequence(Map<String, AttributeValue> item, String name, String subName) {
        String value = text(item, name);
        return value == null ? null : ExtendedSequenceNumber.of(value, longValue(item, subName));
    }
}
