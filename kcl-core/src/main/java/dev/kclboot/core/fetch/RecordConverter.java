package dev.kclboot.core.fetch;

import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Turns one record as GetRecords returns it into the records a processor sees: one for a plain record, the user
 * records of a KPL aggregate.
 */
@FunctionalInterface
public interface RecordConverter {

    List<KinesisRecord> convert(String shardId, Record record);
}
