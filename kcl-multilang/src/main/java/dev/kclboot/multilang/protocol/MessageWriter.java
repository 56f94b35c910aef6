package dev.kclboot.multilang.protocol;

import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Writes the host's messages to a child's stdin, one compact JSON object per line followed by the line separator,
 * flushed at once: the fields, their order and the nulls exactly as the KCL daemon writes them, because kclpy's
 * parser requires every key to be present and every nested object to carry an {@code action} (hence
 * {@code "action":"record"} on each record). Two differences that keep children portable: non-ASCII characters
 * (only partition keys and shard ids can have them) are written as {@code \\u} escapes, so the child's locale
 * does not matter; and only a record's own bytes are encoded (the daemon encodes the whole backing array).
 * <p>
 * Records are streamed into the pipe, so a batch of 10 MB never becomes one 13 MB string. Not thread-safe: a child's
 * conversation runs on its shard's thread.
 */
public final class MessageWriter {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            // Base64 has '/', which the daemon (Jackson 2) writes as is.
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private static final byte[] LINE_SEPARATOR = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    /**
     * @param out the child's stdin; buffered by the caller
     */
    public MessageWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * {@code {"action":"initialize","shardId":...,"sequenceNumber":...,"subSequenceNumber":...}}: the lease's
     * checkpoint, a sentinel such as {@code TRIM_HORIZON} with 0 for a new lease.
     */
    public void initialize(String shardId, @Nullable String sequenceNumber, @Nullable Long subSequenceNumber) {
        write(json -> {
            json.writeStringProperty("action", HostAction.INITIALIZE.wireName());
            json.writeStringProperty("shardId", shardId);
            writeNullableString(json, "sequenceNumber", sequenceNumber);
            writeNullableLong(json, "subSequenceNumber", subSequenceNumber);
        });
    }

    /**
     * {@code {"action":"processRecords","records":[...],"millisBehindLatest":...}}; each record has {@code data}
     * (standard Base64 with padding), {@code partitionKey}, {@code sequenceNumber},
     * {@code approximateArrivalTimestamp} (epoch milliseconds), {@code subSequenceNumber} and {@code "action":"record"}.
     */
    public void processRecords(List<KinesisRecord> records, @Nullable Long millisBehindLatest) {
        write(json -> {
            json.writeStringProperty("action", HostAction.PROCESS_RECORDS.wireName());
            json.writeName("records");
            json.writeStartArray();
            for (KinesisRecord record : records) {
                writeRecord(json, record);
            }
            json.writeEndArray();
            writeNullableLong(json, "millisBehindLatest", millisBehindLatest);
        });
    }

    private static void writeRecord(JsonGenerator json, KinesisRecord record) {
        json.writeStartObject();
        byte[] data = record.dataBytes();
        json.writeName("data");
        json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, data, 0, data.length);
        json.writeStringProperty("partitionKey", record.partitionKey());
        json.writeStringProperty("sequenceNumber", record.sequenceNumber());
        Instant arrival = record.approximateArrivalTimestamp();
        // kclpy does int() on it: a missing arrival time (never seen from Kinesis) must still be a number.
        json.writeNumberProperty("approximateArrivalTimestamp", arrival == null ? 0L : arrival.toEpochMilli());
        json.writeNumberProperty("subSequenceNumber", record.subSequenceNumber());
        json.writeStringProperty("action", "record");
        json.writeEndObject();
    }

    /** {@code {"action":"leaseLost"}}. */
    public void leaseLost() {
        write(json -> json.writeStringProperty("action", HostAction.LEASE_LOST.wireName()));
    }

    /** {@code {"action":"shardEnded"}}. */
    public void shardEnded() {
        write(json -> json.writeStringProperty("action", HostAction.SHARD_ENDED.wireName()));
    }

    /** {@code {"action":"shutdownRequested"}}. */
    public void shutdownRequested() {
        write(json -> json.writeStringProperty("action", HostAction.SHUTDOWN_REQUESTED.wireName()));
    }

    /**
     * {@code {"action":"checkpoint","sequenceNumber":...,"subSequenceNumber":...,"error":...}}: the request's
     * position echoed back, and the error name or null.
     */
    public void checkpointReply(@Nullable String sequenceNumber, @Nullable Long subSequenceNumber,
            @Nullable String error) {
        write(json -> {
            json.writeStringProperty("action", "checkpoint");
            writeNullableString(json, "sequenceNumber", sequenceNumber);
            writeNullableLong(json, "subSequenceNumber", subSequenceNumber);
            writeNullableString(json, "error", error);
        });
    }

    private void write(Fields fields) {
        try {
            try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
                json.writeStartObject();
                fields.write(json);
                json.writeEndObject();
            }
            out.write(LINE_SEPARATOR);
            out.flush();
        }
        catch (JacksonException ex) {
            throw new UncheckedIOException(new IOException("Could not write to the child: " + ex.getMessage(), ex));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeNullableString(JsonGenerator json, String name, @Nullable String value) {
        if (value == null) {
            json.writeNullProperty(name);
        }
        else {
            json.writeStringProperty(name, value);
        }
    }

    private static void writeNullableLong(JsonGenerator json, String name, @Nullable Long value) {
        if (value == null) {
            json.writeNullProperty(name);
        }
        else {
            json.writeNumberProperty(name, value);
        }
    }

    /** The fields of one message, between its braces. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json);
    }
}
