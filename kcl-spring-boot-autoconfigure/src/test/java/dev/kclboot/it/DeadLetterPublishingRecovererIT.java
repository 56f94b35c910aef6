package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.recovery.DeadLetterPublishException;
import dev.kclboot.spring.listener.recovery.KinesisDeadLetterPublishingRecoverer;
import dev.kclboot.spring.listener.recovery.RecordExpiredException;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The dead-letter recoverer on its own against kinesis-local: the record lands with its partition key in the
 * envelope (by stream name and by ARN), and a put that keeps failing is tried exactly max-attempts times, then
 * throws (so the container keeps the record un-done).
 */
class DeadLetterPublishingRecovererIT {

    private final LocalKinesis local = LocalKinesis.shared();

    private final RequestCounter requests = new RequestCounter();

    private final KinesisClient kinesis = local.configure(KinesisClient.builder(), local.kinesisEndpoint())
            .overrideConfiguration(config -> config.addExecutionInterceptor(requests)).build();

    private final KinesisRecord record = KinesisRecord.builder().shardId("shardId-000000000002")
            .sequenceNumber("49650000000000000000000000000000000000000000000000000002").partitionKey("order-9")
            .approximateArrivalTimestamp(Instant.parse("2026-12-02T07:00:00Z"))
            .data("{\"id\":\"order-9\"}".getBytes(StandardCharsets.UTF_8)).build();

    @Test
    void writesTheEnvelopeWithThePartitionKeyByNameAndByArn() throws Exception {
        String stream = local.createStream(1);
        String arn = kinesis.describeStreamSummary(request -> request.streamName(stream)).streamDescriptionSummary()
                .streamARN();
        new KinesisDeadLetterPublishingRecoverer(kinesis, stream, 3, new FixedBackOff(10, 5))
                .recover(record, KinesisRecordMetadata.of("orders", record), new IllegalStateException("boom"));
        new KinesisDeadLetterPublishingRecoverer(kinesis, arn, 3, new FixedBackOff(10, 5)).recover(record,
                KinesisRecordMetadata.of("orders", record),
                new RecordExpiredException(record, java.time.Duration.ofHours(2), java.time.Duration.ofHours(1)));
        List<Record> published = readAll(stream);
        assertThat(published).extracting(Record::partitionKey).containsExactly("order-9", "order-9");
        JsonMapper json = new JsonMapper();
        JsonNode first = json.readTree(published.get(0).data().asUtf8String());
        assertThat(new String(Base64.getDecoder().decode(first.get("data").asString()), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"order-9\"}");
        assertThat(first.get("reason").asString()).isEqualTo("exhausted");
        assertThat(first.get("stream").asString()).isEqualTo("orders");
        assertThat(first.get("sequenceNumber").asString()).isEqualTo(record.sequenceNumber());
        assertThat(json.readTree(published.get(1).data().asUtf8String()).get("reason").asString())
                .isEqualTo("expired");
        assertThat(requests.of("PutRecord")).isEqualTo(2);
    }

    @Test
    void aPutThatKeepsFailingIsTriedMaxAttemptsTimesThenThrows() {
        KinesisDeadLetterPublishingRecoverer recoverer = new KinesisDeadLetterPublishingRecoverer(kinesis,
                LocalKinesis.uniqueName("missing"), 3, new FixedBackOff(10, FixedBackOff.UNLIMITED_ATTEMPTS));
        assertThatExceptionOfType(DeadLetterPublishException.class)
                .isThrownBy(() -> recoverer.recover(record, KinesisRecordMetadata.of("orders", record),
                        new IllegalStateException("boom")))
                .withMessageContaining("after 3 attempt(s)").withCauseInstanceOf(ResourceNotFoundException.class);
        assertThat(requests.of("PutRecord")).isEqualTo(3);
    }

    private List<Record> readAll(String stream) {
        String shardId = kinesis.listShards(request -> request.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(request -> request.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = new java.util.ArrayList<>();
        for (int read = 0; read < 3 && iterator != null; read++) {
            String current = iterator;
            var response = kinesis.getRecords(request -> request.shardIterator(current));
            records.addAll(response.records());
            iterator = response.nextShardIterator();
        }
        return records;
    }
}
