package dev.kclboot.spring.listener.filter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * SpEL filters on the record and its metadata, pure.
 */
class ExpressionRecordFilterTests {

    private final KinesisRecord order = record("order-1", "{\"type\":\"order\",\"amount\":5}");

    private final KinesisRecord test = record("test-1", "{\"type\":\"ping\"}");

    @Test
    void acceptsByPartitionKeyAndPayload() {
        ExpressionRecordFilter byKey = new ExpressionRecordFilter("!partitionKey.startsWith('test-')");
        assertThat(byKey.accept(order, metadata(order))).isTrue();
        assertThat(byKey.accept(test, metadata(test))).isFalse();
        ExpressionRecordFilter byData = new ExpressionRecordFilter("data.contains('\"type\":\"order\"')");
        assertThat(byData.accept(order, metadata(order))).isTrue();
        assertThat(byData.accept(test, metadata(test))).isFalse();
    }

    @Test
    void seesTheMetadataAndTheRecord() {
        assertThat(new ExpressionRecordFilter("stream == 'orders' and metadata.shardId == shardId "
                + "and record.sequenceNumber == sequenceNumber and subSequenceNumber == 0")
                .accept(order, metadata(order))).isTrue();
    }

    @Test
    void anExpressionThatDoesNotParseOrYieldsNoBooleanIsRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new ExpressionRecordFilter("partitionKey ==")).withMessageContaining("partitionKey ==");
        ExpressionRecordFilter notBoolean = new ExpressionRecordFilter("partitionKey");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> notBoolean.accept(order,
                metadata(order))).withMessageContaining("not true or false");
    }

    @Test
    void typesAndBeanReferencesAreNotAvailable() {
        ExpressionRecordFilter withType = new ExpressionRecordFilter("T(java.lang.System).exit(1) == null");
        assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> withType.accept(order, metadata(order)));
    }

    private static KinesisRecord record(String key, String json) {
        return KinesisRecord.builder().shardId("shardId-000000000001").sequenceNumber("49" + key.length())
                .partitionKey(key).data(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))).build();
    }

    private static KinesisRecordMetadata metadata(KinesisRecord record) {
        return KinesisRecordMetadata.of("orders", record);
    }
}
