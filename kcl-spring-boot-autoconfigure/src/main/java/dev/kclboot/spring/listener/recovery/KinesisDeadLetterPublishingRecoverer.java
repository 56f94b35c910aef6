package dev.kclboot.spring.listener.recovery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;

/**
 * A recoverer that writes each failed record to a dead-letter Kinesis stream (Lambda's on-failure destination, with
 * the data): a {@link DeadLetterEnvelope} JSON document holding the data, the source position and the failure, put
 * with the record's own partition key and explicit hash key. A failed put is tried again after the back-off; when
 * every try failed it throws, so the container keeps the record un-done (the source checkpoint stays before it) and
 * calls this recoverer again after its own back-off: a record that could not be published is never skipped.
 * Auto-configured from {@code kcl.dead-letter.*}.
 */
public final class KinesisDeadLetterPublishingRecoverer implements KinesisRecordRecoverer {

    private static final Logger logger = LoggerFactory.getLogger(KinesisDeadLetterPublishingRecoverer.class);

    private final KinesisClient kinesis;

    private final String stream;

    private final int maxAttempts;

    private final BackOff backOff;

    private final Clock clock;

    /**
     * @param kinesis the client that writes to the dead-letter stream
     * @param stream the dead-letter stream's name or ARN
     * @param maxAttempts puts per call before it gives up and throws (at least 1)
     * @param backOff the waits between puts
     */
    public KinesisDeadLetterPublishingRecoverer(KinesisClient kinesis, String stream, int maxAttempts,
            BackOff backOff) {
        this(kinesis, stream, maxAttempts, backOff, Clock.systemUTC());
    }

    KinesisDeadLetterPublishingRecoverer(KinesisClient kinesis, String stream, int maxAttempts, BackOff backOff,
            Clock clock) {
        if (stream.isBlank()) {
            throw new IllegalArgumentException("The dead-letter stream must not be blank");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.stream = stream;
        this.maxAttempts = maxAttempts;
        this.backOff = Objects.requireNonNull(backOff, "backOff");
        this.clock = clock;
    }

    /** The dead-letter stream's name or ARN. */
    public String getStream() {
        return stream;
    }

    @Override
    public void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) {
        PutRecordRequest.Builder request = PutRecordRequest.builder()
                .partitionKey(record.partitionKey()).explicitHashKey(record.explicitHashKey())
                .data(SdkBytes.fromString(DeadLetterEnvelope.of(record, metadata, failure, clock.instant()),
                        StandardCharsets.UTF_8));
        if (stream.startsWith("arn:")) {
            request.streamARN(stream);
        }
        else {
            request.streamName(stream);
        }
        PutRecordRequest put = request.build();
        BackOffExecution waits = backOff.start();
        for (int attempt = 1;; attempt++) {
            try {
                String sequence = kinesis.putRecord(put).sequenceNumber();
                logger.info("Record {} of shard {} in stream {} written to dead-letter stream {} as {}",
                        metadata.sequenceNumber(), metadata.shardId(), metadata.streamName(), stream, sequence);
                return;
            }
            catch (SdkException ex) {
                long wait = waits.nextBackOff();
                if (attempt >= maxAttempts || wait == BackOffExecution.STOP) {
                    throw new DeadLetterPublishException("Could not write record " + metadata.sequenceNumber()
                            + " of shard " + metadata.shardId() + " in stream " + metadata.streamName()
                            + " to dead-letter stream " + stream + " after " + attempt + " attempt(s): "
                            + ex.getMessage(), ex);
                }
                logger.warn("Could not write record {} of shard {} to dead-letter stream {} (attempt {}); trying "
                        + "again in {} ms: {}", metadata.sequenceNumber(), metadata.shardId(), stream, attempt, wait,
                        ex.getMessage());
                try {
                    Thread.sleep(wait);
                }
                catch (InterruptedException interrupted) {
                    // Not published: the record stays un-done; keep the interrupt for whoever interrupted.
                    Thread.currentThread().interrupt();
                    throw new DeadLetterPublishException("Interrupted while writing record "
                            + metadata.sequenceNumber() + " to dead-letter stream " + stream, ex);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "KinesisDeadLetterPublishingRecoverer{stream=" + stream + "}";
    }
}
