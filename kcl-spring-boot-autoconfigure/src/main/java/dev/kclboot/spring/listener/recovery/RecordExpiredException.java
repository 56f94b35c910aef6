package dev.kclboot.spring.listener.recovery;

import java.time.Duration;

import dev.kclboot.core.record.KinesisRecord;

/**
 * What a recoverer receives for a record that was older than the listener's {@code maxRecordAge} (by its approximate
 * arrival time) when it came up for delivery or re-delivery: the listener was not called for it (again).
 */
public class RecordExpiredException extends RuntimeException {

    private final transient KinesisRecord record;

    private final Duration age;

    private final Duration maxRecordAge;

    public RecordExpiredException(KinesisRecord record, Duration age, Duration maxRecordAge) {
        super("Record " + record.sequenceNumber() + " of shard " + record.shardId() + " is " + age.toMillis()
                + " ms old, older than the maximum record age of " + maxRecordAge.toMillis() + " ms");
        this.record = record;
        this.age = age;
        this.maxRecordAge = maxRecordAge;
    }

    /** The expired record. */
    public KinesisRecord getRecord() {
        return record;
    }

    /** How old the record was when it expired. */
    public Duration getAge() {
        return age;
    }

    /** The limit it passed. */
    public Duration getMaxRecordAge() {
        return maxRecordAge;
    }
}
