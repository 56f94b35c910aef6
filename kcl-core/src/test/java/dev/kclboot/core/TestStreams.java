package dev.kclboot.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Writes test records: payload {@code <prefix>-<key>-<n>} with partition key {@code <key>}, in order per key.
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

    private static void flush(LocalKinesis local, String stream, List<PutRecordsRequestEntry> entries) {
        var response = local.kinesisClient().putRecords(request -> request.streamName(stream).records(entries));
        if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
            throw new IllegalStateException("PutRecords failed for " + response.failedRecordCount() + " records");
        }
        entries.clear();
    }
}
