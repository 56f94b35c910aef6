package dev.kclboot.spring.listener.adapter;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;

/**
 * What one call of a listener method can draw its arguments from: the record (a list of one) or the batch, their
 * metadata, and the checkpointer.
 */
record ListenerInvocation(List<KinesisRecord> records, List<KinesisRecordMetadata> metadata,
        Checkpointer checkpointer) {
}
