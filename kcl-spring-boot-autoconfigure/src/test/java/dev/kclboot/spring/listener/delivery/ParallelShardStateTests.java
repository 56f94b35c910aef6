package dev.kclboot.spring.listener.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.ShardStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status of a shard with several deliveries in flight is its worst lane's: failing longest, else in a call
 * longest, else the oldest record; the iterator age is the oldest record in any lane, and the last done age once
 * every lane closed.
 */
class ParallelShardStateTests {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private final ParallelShardState shard = new ParallelShardState("s", "shardId-000000000000",
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static KinesisRecord record(String sequenceNumber, String key, Duration age) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequenceNumber)
                .partitionKey(key).approximateArrivalTimestamp(NOW.minus(age)).data(new byte[0]).build();
    }

    @Test
    void withNoLaneTheShardIsIdleAtAgeZero() {
        ShardStatus status = shard.snapshot();
        assertThat(status.sequenceNumber()).isNull();
        assertThat(status.attempts()).isZero();
        assertThat(status.iteratorAge()).isEqualTo(Duration.ZERO);
        assertThat(shard.iteratorAgeMillis()).isZero();
    }

    @Test
    void aFailingLaneIsShownEvenWhileOtherKeysSucceed() {
        ShardDeliveryState poisoned = shard.openLane();
        poisoned.started(record("10", "a", Duration.ofSeconds(5)));
        poisoned.callStarted();
        poisoned.callFailed(new IllegalStateException("boom"));
        for (int i = 11; i < 20; i++) {
            ShardDeliveryState healthy = shard.openLane();
            KinesisRecord record = record(Integer.toString(i), "k" + i, Duration.ofSeconds(1));
            healthy.started(record);
            healthy.callStarted();
            healthy.callSucceeded();
            healthy.done(record);
            shard.closeLane(healthy);
        }
        ShardStatus status = shard.snapshot();
        assertThat(status.sequenceNumber()).isEqualTo("10");
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.failingSince()).isEqualTo(NOW);
        assertThat(status.lastFailure()).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(status.isBlocked(Duration.ofMinutes(1), NOW.plus(Duration.ofMinutes(2)))).isTrue();
        assertThat(shard.openLanes()).isEqualTo(1);
    }

    @Test
    void theLaneStuckLongestIsShownWhetherItFailsOrHangsInACall() {
        MutableClock clock = new MutableClock(NOW);
        ParallelShardState shard = new ParallelShardState("s", "shardId-000000000000", clock);
        ShardDeliveryState hanging = shard.openLane();
        hanging.started(record("5", "c", Duration.ofSeconds(60)));
        hanging.callStarted(); // In a call since NOW.
        clock.advance(Duration.ofSeconds(10));
        ShardDeliveryState failingEarly = shard.openLane();
        failingEarly.started(record("7", "a", Duration.ofSeconds(2)));
        failingEarly.callStarted();
        failingEarly.callFailed(new RuntimeException("first")); // Failing since NOW + 10 s, waiting to retry.
        clock.advance(Duration.ofSeconds(10));
        ShardDeliveryState failingLate = shard.openLane();
        failingLate.started(record("8", "b", Duration.ofSeconds(1)));
        failingLate.callStarted();
        failingLate.callFailed(new RuntimeException("second")); // Failing since NOW + 20 s.

        ShardStatus status = shard.snapshot();
        assertThat(status.sequenceNumber()).as("the hung call began before either failure").isEqualTo("5");
        assertThat(status.inCallSince()).isEqualTo(NOW);
        assertThat(status.isBlocked(Duration.ofSeconds(15), NOW.plusSeconds(20))).isTrue();
        // The iterator age is the oldest record in any lane (60 s old at NOW, 20 s have passed).
        assertThat(status.iteratorAge()).isEqualTo(Duration.ofSeconds(80));

        hanging.callSucceeded();
        hanging.done(record("5", "c", Duration.ofSeconds(60)));
        shard.closeLane(hanging);
        status = shard.snapshot();
        assertThat(status.sequenceNumber()).as("of the two failing lanes, the one failing longer").isEqualTo("7");
        assertThat(status.lastFailure()).isEqualTo("java.lang.RuntimeException: first");
        assertThat(status.failingSince()).isEqualTo(NOW.plusSeconds(10));
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void withoutFailuresTheLongestCallIsShownThenTheOldestRecord() {
        ShardDeliveryState waiting = shard.openLane();
        waiting.started(record("3", "a", Duration.ofSeconds(40)));
        ShardDeliveryState calling = shard.openLane();
        calling.started(record("4", "b", Duration.ofSeconds(10)));
        calling.callStarted();
        assertThat(shard.snapshot().sequenceNumber()).isEqualTo("4");
        assertThat(shard.snapshot().inCallSince()).isEqualTo(NOW);
        assertThat(shard.iteratorAgeMillis()).isEqualTo(40_000);
        calling.callSucceeded();
        assertThat(shard.snapshot().sequenceNumber()).isEqualTo("3");
    }

    @Test
    void onceEveryLaneClosedTheAgeIsTheLastDoneRecordsAndNothingIsShownAsPending() {
        ShardDeliveryState lane = shard.openLane();
        KinesisRecord record = record("9", "a", Duration.ofSeconds(3));
        lane.started(record);
        lane.callStarted();
        lane.callSucceeded();
        lane.done(record);
        assertThat(shard.snapshot().sequenceNumber()).isNull();
        shard.closeLane(lane);
        ShardStatus status = shard.snapshot();
        assertThat(status.sequenceNumber()).isNull();
        assertThat(status.failingSince()).isNull();
        assertThat(status.iteratorAge()).isEqualTo(Duration.ofSeconds(3));
        assertThat(shard.openLanes()).isZero();
    }

    @Test
    void aLaneClosedWithoutItsRecordDoneLeavesTheLastDoneAgeAsItWas() {
        ShardDeliveryState done = shard.openLane();
        KinesisRecord first = record("1", "a", Duration.ofSeconds(2));
        done.started(first);
        done.done(first);
        shard.closeLane(done);
        ShardDeliveryState givenUp = shard.openLane();
        givenUp.started(record("2", "b", Duration.ofMinutes(10)));
        shard.closeLane(givenUp);
        assertThat(shard.snapshot().iteratorAge()).isEqualTo(Duration.ofSeconds(2));
        shard.closeLane(givenUp); // Closing twice changes nothing.
        assertThat(shard.openLanes()).isZero();
    }
}
