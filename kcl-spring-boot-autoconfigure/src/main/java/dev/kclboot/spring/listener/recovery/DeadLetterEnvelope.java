package dev.kclboot.spring.listener.recovery;

import java.time.Instant;
import java.util.Base64;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The JSON document {@link KinesisDeadLetterPublishingRecoverer} writes to the dead-letter stream: the record's data
 * (Base64, byte for byte), where it came from and why it failed. Version 1:
 * <pre>{@code
 * {"version":1,"reason":"exhausted","data":"eyJpZCI6...","dataLength":17,
 *  "stream":"orders","shardId":"shardId-000000000000","sequenceNumber":"4959...","subSequenceNumber":0,
 *  "partitionKey":"order-7","explicitHashKey":null,"approximateArrivalTimestamp":"2026-12-02T07:00:00Z",
 *  "exception":{"class":"java.lang.IllegalStateException","message":"boom"},
 *  "rootCause":{"class":"java.sql.SQLException","message":"timeout"},"failedAt":"2026-12-02T07:00:05Z"}
 * }</pre>
 * When the document would be larger than a Kinesis record may be (1 MiB with the partition key), {@code data} is
 * null and {@code dataOmitted} true: the record can still be read from the source stream by its sequence number
 * while it is retained. Written by hand (no JSON library needed); strings are escaped per RFC 8259.
 */
public final class DeadLetterEnvelope {

    /** The largest Kinesis record: data plus partition key. */
    static final int MAX_RECORD_BYTES = 1024 * 1024;

    private DeadLetterEnvelope() {
    }

    /** The envelope of a failed record, as UTF-8 JSON that fits in one Kinesis record with its partition key. */
    public static String of(KinesisRecord record, KinesisRecordMetadata metadata, Throwable failure, Instant now) {
        String full = write(record, metadata, failure, now, true);
        int keyBytes = record.partitionKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (full.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + keyBytes <= MAX_RECORD_BYTES) {
            return full;
        }
        return write(record, metadata, failure, now, false);
    }

    private static String write(KinesisRecord record, KinesisRecordMetadata metadata, Throwable failure,
            Instant now, boolean withData) {
        StringBuilder json = new StringBuilder(256 + record.dataLength() * 4 / 3);
        json.append("{\"version\":1");
        field(json, "reason", RecoveryReason.of(failure).tagValue());
        if (withData) {
            field(json, "data", Base64.getEncoder().encodeToString(record.dataBytes()));
        }
        else {
            json.append(",\"data\":null,\"dataOmitted\":true");
        }
        json.append(",\"dataLength\":").append(record.dataLength());
        field(json, "stream", metadata.streamName());
        field(json, "shardId", metadata.shardId());
        field(json, "sequenceNumber", metadata.sequenceNumber());
        json.append(",\"subSequenceNumber\":").append(metadata.subSequenceNumber());
        field(json, "partitionKey", metadata.partitionKey());
        field(json, "explicitHashKey", metadata.explicitHashKey());
        Instant arrival = metadata.approximateArrivalTimestamp();
        field(json, "approximateArrivalTimestamp", (arrival != null) ? arrival.toString() : null);
        json.append(",\"exception\":");
        exception(json, failure);
        json.append(",\"rootCause\":");
        exception(json, rootCause(failure));
        field(json, "failedAt", now.toString());
        return json.append('}').toString();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        // Bounded, in case of a cause cycle.
        for (int depth = 0; depth < 32 && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        return root;
    }

    private static void exception(StringBuilder json, Throwable failure) {
        json.append("{\"class\":");
        string(json, failure.getClass().getName());
        json.append(",\"message\":");
        string(json, failure.getMessage());
        json.append('}');
    }

    private static void field(StringBuilder json, String name, @Nullable String value) {
        json.append(",\"").append(name).append("\":");
        string(json, value);
    }

    private static void string(StringBuilder json, @Nullable String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
