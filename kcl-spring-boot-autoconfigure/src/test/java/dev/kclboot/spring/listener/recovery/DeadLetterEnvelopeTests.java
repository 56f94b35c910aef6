package dev.kclboot.spring.listener.recovery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter envelope, pure: read back with Jackson, byte-exact data, escaping, and the size limit.
 */
class DeadLetterEnvelopeTests {

    private static final Instant NOW = Instant.parse("2026-12-02T07:00:05Z");

    private static final Instant ARRIVAL = Instant.parse("2026-12-02T07:00:00Z");

    private final JsonMapper json = new JsonMapper();

    @Test
    void holdsTheDataByteForByteTheSourcePositionAndTheFailure() {
        byte[] data = { 0, 1, (byte) 0xff, '"', '\n' };
        KinesisRecord record = record("order-7", "12345", 2, ByteBuffer.wrap(data), "170141183460469231731687303715884105727");
        Exception failure = new IllegalStateException("said \"no\"\nthen\tstopped",
                new IllegalArgumentException("root\u0001cause"));
        JsonNode envelope = json.readTree(DeadLetterEnvelope.of(record, KinesisRecordMetadata.of("orders", record),
                failure, NOW));
        assertThat(envelope.get("version").asInt()).isEqualTo(1);
        assertThat(envelope.get("reason").asString()).isEqualTo("exhausted");
        assertThat(Base64.getDecoder().decode(envelope.get("data").asString())).containsExactly(data);
        assertThat(envelope.get("dataLength").asInt()).isEqualTo(5);
        assertThat(envelope.get("stream").asString()).isEqualTo("orders");
        assertThat(envelope.get("shardId").asString()).isEqualTo("shardId-000000000003");
        assertThat(envelope.get("sequenceNumber").asString()).isEqualTo("12345");
        assertThat(envelope.get("subSequenceNumber").asLong()).isEqualTo(2);
        assertThat(envelope.get("partitionKey").asString()).isEqualTo("order-7");
        assertThat(envelope.get("explicitHashKey").asString()).isEqualTo("170141183460469231731687303715884105727");
        assertThat(envelope.get("approximateArrivalTimestamp").asString()).isEqualTo(ARRIVAL.toString());
        assertThat(envelope.get("exception").get("class").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(envelope.get("exception").get("message").asString()).isEqualTo("said \"no\"\nthen\tstopped");
        assertThat(envelope.get("rootCause").get("class").asString()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(envelope.get("rootCause").get("message").asString()).isEqualTo("root\u0001cause");
        assertThat(envelope.get("failedAt").asString()).isEqualTo(NOW.toString());
        assertThat(envelope.has("dataOmitted")).isFalse();
    }

    @Test
    void namesTheReasonOfExpiredAndUnconvertibleRecordsAndWritesNullsForWhatIsUnknown() {
        KinesisRecord record = record("k", "1", 0, ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)), null);
        KinesisRecordMetadata metadata = new KinesisRecordMetadata("s", record.shardId(), "1", 0, "k", null, null);
        JsonNode expired = json.readTree(DeadLetterEnvelope.of(record, metadata,
                new RecordExpiredException(record, Duration.ofMinutes(2), Duration.ofMinutes(1)), NOW));
        assertThat(expired.get("reason").asString()).isEqualTo("expired");
        assertThat(expired.get("explicitHashKey").isNull()).isTrue();
        assertThat(expired.get("approximateArrivalTimestamp").isNull()).isTrue();
        JsonNode noMessage = json.readTree(DeadLetterEnvelope.of(record, metadata, new IllegalStateException(), NOW));
        assertThat(noMessage.get("exception").get("message").isNull()).isTrue();
        assertThat(noMessage.get("rootCause").get("class").asString()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void dataThatWouldMakeTheEnvelopeTooLargeForOneKinesisRecordIsOmitted() {
        byte[] data = new byte[900 * 1024];
        Arrays.fill(data, (byte) 'a');
        KinesisRecord record = record("k", "1", 0, ByteBuffer.wrap(data), null);
        String text = DeadLetterEnvelope.of(record, KinesisRecordMetadata.of("s", record), new RuntimeException("x"),
                NOW);
        JsonNode envelope = json.readTree(text);
        assertThat(envelope.get("data").isNull()).isTrue();
        assertThat(envelope.get("dataOmitted").asBoolean()).isTrue();
        assertThat(envelope.get("dataLength").asInt()).isEqualTo(900 * 1024);
        assertThat(envelope.get("sequenceNumber").asString()).isEqualTo("1");
        byte[] fits = new byte[700 * 1024];
        KinesisRecord small = record("k", "2", 0, ByteBuffer.wrap(fits), null);
        JsonNode kept = json.readTree(DeadLetterEnvelope.of(small, KinesisRecordMetadata.of("s", small),
                new RuntimeException("x"), NOW));
        assertThat(Base64.getDecoder().decode(kept.get("data").asString())).hasSize(700 * 1024);
    }

    private static KinesisRecord record(String key, String sequence, long sub, ByteBuffer data, String hashKey) {
        return KinesisRecord.builder().shardId("shardId-000000000003").sequenceNumber(sequence)
                .subSequenceNumber(sub).aggregated(sub > 0).partitionKey(key).explicitHashKey(hashKey)
                .approximateArrivalTimestamp(ARRIVAL).data(data).build();
    }
}
