package dev.kclboot.it;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.test.LocalKinesis;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * One test's stream and application name on the shared emulators: writes records (remembering where each landed)
 * and reads the checkpoints from the lease table.
 */
final class StreamFixture {

    final LocalKinesis local = LocalKinesis.shared();

    final String stream;

    final String application;

    /** payload -> (shard id, sequence number) of every record written. */
    final Map<String, PutRecordResponse> written = new LinkedHashMap<>();

    StreamFixture(int shards) {
        this.stream = local.createStream(shards);
        this.application = LocalKinesis.uniqueName("app");
    }

    StreamFixture(String application, int shards) {
        this.stream = local.createStream(shards);
        this.application = application;
    }

    PutRecordResponse put(String partitionKey, String payload) {
        PutRecordResponse response = local.kinesisClient().putRecord(request -> request.streamName(stream)
                .partitionKey(partitionKey).data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)));
        written.put(payload, response);
        return response;
    }

    /**
     * Writes records (payload -> partition key, in order) with one PutRecords call, so that a reader that is caught up
     * finds them in one batch instead of however many the timing of single puts gives.
     */
    void putAll(Map<String, String> keysByPayload) {
        List<String> payloads = List.copyOf(keysByPayload.keySet());
        PutRecordsResponse response = local.kinesisClient().putRecords(request -> request.streamName(stream)
                .records(payloads.stream().map(payload -> PutRecordsRequestEntry.builder()
                        .partitionKey(keysByPayload.get(payload))
                        .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)).build()).toList()));
        if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
            throw new IllegalStateException(response.failedRecordCount() + " records of PutRecords failed: " + response);
        }
        for (int i = 0; i < payloads.size(); i++) {
            PutRecordsResultEntry entry = response.records().get(i);
            written.put(payloads.get(i), PutRecordResponse.builder().shardId(entry.shardId())
                    .sequenceNumber(entry.sequenceNumber()).build());
        }
    }

    PutRecordResponse put(Order order) {
        return put(order.id(), order.json());
    }

    String sequenceOf(String payload) {
        return written.get(payload).sequenceNumber();
    }

    String sequenceOf(Order order) {
        return sequenceOf(order.json());
    }

    /** The last sequence number written to each shard. */
    Map<String, String> lastSequencePerShard() {
        Map<String, String> last = new HashMap<>();
        written.values().forEach(response -> last.merge(response.shardId(), response.sequenceNumber(),
                (a, b) -> new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b));
        return last;
    }

    /** leaseKey -> checkpoint, from the lease table (empty while the table does not exist). */
    Map<String, String> checkpoints() {
        return checkpoints(application);
    }

    Map<String, String> checkpoints(String table) {
        Map<String, String> checkpoints = new HashMap<>();
        try {
            for (Map<String, AttributeValue> item : local.dynamoDbClient().scan(request -> request.tableName(table))
                    .items()) {
                if (item.containsKey("leaseCounter") && item.containsKey("checkpoint")) {
                    checkpoints.put(item.get("leaseKey").s(), item.get("checkpoint").s());
                }
            }
        }
        catch (ResourceNotFoundException ex) {
            // Not created yet.
        }
        return checkpoints;
    }

    /** The owner of the shard's lease (single-stream table), null when it is free or there is none. */
    @Nullable String ownerOf(String shardId) {
        Map<String, AttributeValue> item = local.dynamoDbClient().getItem(request -> request.tableName(application)
                .key(Map.of("leaseKey", AttributeValue.fromS(shardId)))).item();
        return (item == null || !item.containsKey("leaseOwner")) ? null : item.get("leaseOwner").s();
    }

    /** The checkpoint of the shard (single-stream table), null when there is none yet. */
    @Nullable String checkpointOf(String shardId) {
        return checkpoints().get(shardId);
    }

    /** Whether a stored checkpoint is a sequence number at or after the given one. */
    static boolean atOrAfter(@Nullable String checkpoint, String sequenceNumber) {
        return checkpoint != null && checkpoint.chars().allMatch(Character::isDigit)
                && new BigInteger(checkpoint).compareTo(new BigInteger(sequenceNumber)) >= 0;
    }
}
