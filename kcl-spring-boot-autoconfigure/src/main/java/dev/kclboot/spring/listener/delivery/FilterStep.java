package dev.kclboot.spring.listener.delivery;

import java.util.ArrayList;
import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a listener's {@link KinesisRecordFilterStrategy} to the records handed over, before any delivery: the
 * records it does not accept are done at once (and counted), the others go on to the listener. A filter that throws
 * keeps the record (logged): a broken filter delivers too much rather than losing records.
 */
final class FilterStep {

    private static final Logger logger = LoggerFactory.getLogger(FilterStep.class);

    private final KinesisListenerSettings settings;

    private final String streamName;

    private final KinesisListenerMetrics metrics;

    FilterStep(KinesisListenerSettings settings, String streamName, KinesisListenerMetrics metrics) {
        this.settings = settings;
        this.streamName = streamName;
        this.metrics = metrics;
    }

    /** Reports the filtered records as done and returns the accepted ones, in order. */
    List<KinesisRecord> accepted(List<KinesisRecord> records, DoneRecords done) {
        KinesisRecordFilterStrategy filter = settings.delivery().filter();
        if (filter == null || records.isEmpty()) {
            return records;
        }
        List<KinesisRecord> accepted = new ArrayList<>(records.size());
        List<KinesisRecord> filtered = new ArrayList<>();
        for (KinesisRecord record : records) {
            if (accepts(filter, record)) {
                accepted.add(record);
            }
            else {
                filtered.add(record);
            }
        }
        if (!filtered.isEmpty()) {
            metrics.filtered(settings, streamName, filtered.get(0), filtered.size());
            done.done(filtered);
        }
        return accepted;
    }

    private boolean accepts(KinesisRecordFilterStrategy filter, KinesisRecord record) {
        try {
            return filter.accept(record, KinesisRecordMetadata.of(streamName, record));
        }
        catch (RuntimeException ex) {
            logger.error("The filter of listener '{}' failed on record {} of shard {} in stream {}; the record is "
                    + "delivered", settings.id(), record.sequenceNumber(), record.shardId(), streamName, ex);
            return true;
        }
    }
}
