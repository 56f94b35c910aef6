package dev.kclboot.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes test records (payload {@code <prefix>-<key>-<n>} with partition key {@code <key>}, in order per key) and
 * checks how they were delivered; lists a stream's open shards.
 */
final class TestStreams {

    private TestStreams() {
    }

    /** Puts {@code count} records spread over {@code keys} partition keys; returns the payloads in write order. */
    static List<String> put(LocalKinesis local, String stream, String prefix, int count, int keys) {
        List<String> payloads = new ArrayList<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "key" + (i % keys);
            String payload = prefix + "-" + key + "-" + (i / keys);
            payloads.add(payload);
            entries.add(PutRecordsRequestEntry.builder().partitionKey(key)
                    .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)).build());
            if (entries.size() == 100) {
                flush(local, stream, entries);
            }
        }
        if (!entries.isEmpty()) {
            flush(local, stream, entries);
        }
        return payloads;
    }

    /**
     * Deletes a test's stream (its consumers too), so that a suite sharing one emulator stays under its open-shard
     * limit; a stream already gone is fine.
     */
    static void delete(LocalKinesis local, String stream) {
        try {
            local.kinesisClient().deleteStream(request -> request.streamName(stream).enforceConsumerDeletion(true));
        }
        catch (software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException ex) {
            // Deleted by the test itself.
        }
    }

    /** For every partition key, records are delivered in the order they were written. */
    static void assertPerKeyOrder(List<String> delivered, List<String> written) {
        Map<String, Integer> writeIndex = new HashMap<>();
        for (int i = 0; i < written.size(); i++) {
            writeIndex.put(written.get(i), i);
        }
        Map<String, Integer> lastSeen = new HashMap<>();
        for (String payload : delivered) {
            int index = writeIndex.get(payload);
            Integer previous = lastSeen.put(payload.split("-")[1], index);
            assertThat(previous == null || previous < index)
                    .as("%s delivered after a later record of the same key", payload).isTrue();
        }
    }

    /** The stream's open shards, in hash key order. */
    static List<Shard> openShards(LocalKinesis local, String stream) {
        return local.kinesisClient().listShards(request -> request.streamName(stream)).shards().stream()
                .filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                .sorted(Comparator.comparing(shard -> new BigInteger(shard.hashKeyRange().startingHashKey())))
                .toList();
    }

    private static void flush(LocalKinesis local, String stream, List<PutRecordsRequestEntry> entries) {
        var response = local.kinesisClient().putRecords(request -> request.streamName(stream).records(entries));
        if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
            throw new IllegalStateException("PutRecords failed for " + response.failedRecordCount() + " records");
        }
        entries.clear();
    }
}
