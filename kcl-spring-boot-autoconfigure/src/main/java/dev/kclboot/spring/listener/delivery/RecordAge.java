package dev.kclboot.spring.listener.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.recovery.RecordExpiredException;
import org.jspecify.annotations.Nullable;

/**
 * A listener's maximum record age: whether a record, by its approximate arrival time, is too old to be delivered
 * now. Records without an arrival time never expire.
 */
final class RecordAge {

    private final @Nullable Duration maxRecordAge;

    private final Clock clock;

    RecordAge(@Nullable Duration maxRecordAge, Clock clock) {
        this.maxRecordAge = maxRecordAge;
        this.clock = clock;
    }

    /** The failure to hand to the recoverer when the record is too old now, else null. */
    @Nullable RecordExpiredException expired(KinesisRecord record) {
        Duration max = maxRecordAge;
        Instant arrival = record.approximateArrivalTimestamp();
        if (max == null || arrival == null) {
            return null;
        }
        Duration age = Duration.between(arrival, clock.instant());
        return (age.compareTo(max) > 0) ? new RecordExpiredException(record, age, max) : null;
    }
}
