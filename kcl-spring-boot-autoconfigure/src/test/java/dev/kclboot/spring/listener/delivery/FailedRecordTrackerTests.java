package dev.kclboot.spring.listener.delivery;

import java.nio.ByteBuffer;

import dev.kclboot.core.record.KinesisRecord;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracker of failing records, pure: attempts per record (KPL sub-records apart), back-off per record, exhaustion.
 */
class FailedRecordTrackerTests {

    @Test
    void countsAttemptsPerRecordAndExhaustsAtMaxAttempts() {
        FailedRecordTracker tracker = new FailedRecordTracker(new FixedBackOff(50, FixedBackOff.UNLIMITED_ATTEMPTS), 3);
        KinesisRecord one = record("1", 0);
        KinesisRecord two = record("2", 0);
        assertThat(tracker.failed(one)).isEqualTo(new FailedRecordTracker.Decision(1, 50, false));
        assertThat(tracker.failed(two)).isEqualTo(new FailedRecordTracker.Decision(1, 50, false));
        assertThat(tracker.failed(one)).isEqualTo(new FailedRecordTracker.Decision(2, 50, false));
        assertThat(tracker.failed(one)).isEqualTo(new FailedRecordTracker.Decision(3, 0, true));
        assertThat(tracker.attempts(one)).isEqualTo(3);
        assertThat(tracker.attempts(two)).isEqualTo(1);
        assertThat(tracker.size()).isEqualTo(2);
        tracker.clear(one);
        assertThat(tracker.attempts(one)).isZero();
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void eachRecordHasItsOwnBackOffAndSubRecordsOfAnAggregateAreApart() {
        ExponentialBackOff backOff = new ExponentialBackOff(100, 2.0);
        FailedRecordTracker tracker = new FailedRecordTracker(backOff, Integer.MAX_VALUE);
        KinesisRecord first = record("7", 0);
        KinesisRecord second = record("7", 1);
        assertThat(tracker.failed(first).backOffMillis()).isEqualTo(100);
        assertThat(tracker.failed(first).backOffMillis()).isEqualTo(200);
        assertThat(tracker.failed(second).backOffMillis()).isEqualTo(100);
        assertThat(tracker.attempts(first)).isEqualTo(2);
        assertThat(tracker.attempts(second)).isEqualTo(1);
        tracker.clear(first);
        assertThat(tracker.failed(first).backOffMillis()).isEqualTo(100);
    }

    @Test
    void aBackOffThatStopsExhaustsTheRecordBeforeMaxAttempts() {
        FailedRecordTracker tracker = new FailedRecordTracker(new FixedBackOff(10, 1), 5);
        KinesisRecord record = record("1", 0);
        assertThat(tracker.failed(record).exhausted()).isFalse();
        assertThat(tracker.failed(record)).isEqualTo(new FailedRecordTracker.Decision(2, 0, true));
    }

    @Test
    void oneAttemptExhaustsAtOnce() {
        FailedRecordTracker tracker = new FailedRecordTracker(new FixedBackOff(10, 5), 1);
        assertThat(tracker.failed(record("1", 0))).isEqualTo(new FailedRecordTracker.Decision(1, 0, true));
    }

    static KinesisRecord record(String sequence, long sub) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequence)
                .subSequenceNumber(sub).aggregated(sub > 0).partitionKey("pk")
                .data(ByteBuffer.wrap(sequence.getBytes())).build();
    }
}
