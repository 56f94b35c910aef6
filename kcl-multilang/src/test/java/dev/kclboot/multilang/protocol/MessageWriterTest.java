package dev.kclboot.multilang.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import org.junit.jupiter.api.Test;

/**
 * The host's lines, byte for byte as the KCL daemon writes them (compact JSON, every field present with nulls, the
 * daemon's field order, {@code "action":"record"} on each record), each followed by the line separator.
 */
class MessageWriterTest {

    private static final String EOL = System.lineSeparator();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private final MessageWriter writer = new MessageWriter(out);

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void initializeCarriesTheCheckpointOrNulls() {
        writer.initialize("shardId-000000000001", "TRIM_HORIZON", 0L);
        writer.initialize("shardId-000000000002", null, null);
        assertThat(written()).isEqualTo(
                "{\"action\":\"initialize\",\"shardId\":\"shardId-000000000001\",\"sequenceNumber\":\"TRIM_HORIZON\","
                        + "\"subSequenceNumber\":0}" + EOL
                        + "{\"action\":\"initialize\",\"shardId\":\"shardId-000000000002\",\"sequenceNumber\":null,"
                        + "\"subSequenceNumber\":null}" + EOL);
    }

    @Test
    void recordsAreBase64OfTheirOwnBytesWithActionRecord() {
        // A slice of a larger array: only its own bytes go out (the daemon encodes the whole backing array).
        ByteBuffer slice = ByteBuffer.wrap("xxhello/?>yy".getBytes(StandardCharsets.UTF_8), 2, 8).slice();
        KinesisRecord record = KinesisRecord.builder().shardId("shardId-000000000001")
                .sequenceNumber("49590338271490256608559692538361571095921575989136588898").subSequenceNumber(3)
                .partitionKey("cat").approximateArrivalTimestamp(Instant.ofEpochMilli(1_700_000_000_000L)).data(slice)
                .build();
        KinesisRecord noArrival = KinesisRecord.builder().shardId("s").sequenceNumber("1").partitionKey("k\u00e9\u732b")
                .data(new byte[0]).build();
        writer.processRecords(List.of(record, noArrival), 0L);
        writer.processRecords(List.of(record), null);
        String first = "{\"data\":\"aGVsbG8vPz4=\",\"partitionKey\":\"cat\","
                + "\"sequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\","
                + "\"approximateArrivalTimestamp\":1700000000000,\"subSequenceNumber\":3,\"action\":\"record\"}";
        assertThat(written()).isEqualTo("{\"action\":\"processRecords\",\"records\":[" + first
                + ",{\"data\":\"\",\"partitionKey\":\"k\\u00E9\\u732B\",\"sequenceNumber\":\"1\","
                + "\"approximateArrivalTimestamp\":0,\"subSequenceNumber\":0,\"action\":\"record\"}],"
                + "\"millisBehindLatest\":0}" + EOL
                + "{\"action\":\"processRecords\",\"records\":[" + first + "],\"millisBehindLatest\":null}" + EOL);
    }

    @Test
    void lifecycleMessagesAndCheckpointReplies() {
        writer.leaseLost();
        writer.shardEnded();
        writer.shutdownRequested();
        writer.checkpointReply("4959", 0L, null);
        writer.checkpointReply(null, null, "ThrottlingException");
        assertThat(written()).isEqualTo("{\"action\":\"leaseLost\"}" + EOL + "{\"action\":\"shardEnded\"}" + EOL
                + "{\"action\":\"shutdownRequested\"}" + EOL
                + "{\"action\":\"checkpoint\",\"sequenceNumber\":\"4959\",\"subSequenceNumber\":0,\"error\":null}" + EOL
                + "{\"action\":\"checkpoint\",\"sequenceNumber\":null,\"subSequenceNumber\":null,"
                + "\"error\":\"ThrottlingException\"}" + EOL);
    }
}
