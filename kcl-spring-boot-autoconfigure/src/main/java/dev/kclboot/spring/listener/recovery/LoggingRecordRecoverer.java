package dev.kclboot.spring.listener.recovery;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default recoverer: logs the failed record (stream, shard, sequence number, partition key; never the payload)
 * at ERROR with the exception, and skips it.
 */
public final class LoggingRecordRecoverer implements KinesisRecordRecoverer {

    private static final Logger logger = LoggerFactory.getLogger(LoggingRecordRecoverer.class);

    @Override
    public void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) {
        logger.error("Skipping record {} of shard {} in stream {} (partition key {}) after it failed",
                metadata.subSequenceNumber() == 0 ? metadata.sequenceNumber()
                        : metadata.sequenceNumber() + "/" + metadata.subSequenceNumber(),
                metadata.shardId(), metadata.streamName(), metadata.partitionKey(), failure);
    }
}
