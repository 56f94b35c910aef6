package dev.kclboot.spring.listener;

/**
 * A listener a container delivers records to: either a {@link KinesisRecordListener} (one record at a time) or a
 * {@link KinesisBatchListener} (the records of one read from a shard at a time).
 */
public interface KinesisMessageListener {
}
