package dev.kclboot.benchmarks.scale;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CounterStallTrackerTest {

    private static final long MS = 1_000_000;

    @Test
    void theLongestIntervalRunsFromTheSnapshotThatFirstShowedAValueToTheOneThatShowedTheNext() {
        CounterStallTracker tracker = new CounterStallTracker();
        tracker.observe(Map.of("a", 1L, "b", 7L), 0);
        tracker.observe(Map.of("a", 2L, "b", 7L), 200 * MS);
        tracker.observe(Map.of("a", 2L, "b", 7L), 400 * MS);
        tracker.observe(Map.of("a", 3L, "b", 8L), 600 * MS);
        tracker.observe(Map.of("a", 4L, "b", 8L), 800 * MS);
        CounterStallTracker.Stall longest = tracker.finish(900 * MS);
        assertThat(longest.leaseKey()).isEqualTo("b");
        assertThat(longest.nanos()).isEqualTo(600 * MS);
        assertThat(longest.startNanos()).isZero();
        assertThat(longest.endNanos()).isEqualTo(600 * MS);
        // Moves: a at 200, 600, 800 (200 + 400 + 200), b at 600 (600): 1400 / 4.
        assertThat(tracker.meanChangeIntervalNanos()).isEqualTo(350 * MS);
        assertThat(tracker.snapshots()).isEqualTo(5);
    }

    @Test
    void aCounterThatStopsForGoodIsClosedAtTheEnd() {
        CounterStallTracker tracker = new CounterStallTracker();
        tracker.observe(Map.of("a", 1L, "b", 1L), 0);
        tracker.observe(Map.of("a", 2L, "b", 2L), 1_000 * MS);
        tracker.observe(Map.of("a", 3L, "b", 2L), 2_000 * MS);
        assertThat(tracker.longest().nanos()).isEqualTo(1_000 * MS);
        CounterStallTracker.Stall longest = tracker.finish(9_000 * MS);
        assertThat(longest.leaseKey()).isEqualTo("b");
        assertThat(longest.nanos()).isEqualTo(8_000 * MS);
    }

    @Test
    void aLeaseThatDisappearsIsForgottenAndOneThatAppearsStartsWhenFirstSeen() {
        CounterStallTracker tracker = new CounterStallTracker();
        tracker.observe(Map.of("a", 1L), 0);
        tracker.observe(Map.of("b", 5L), 5_000 * MS);
        tracker.observe(Map.of("b", 6L), 6_000 * MS);
        CounterStallTracker.Stall longest = tracker.finish(6_500 * MS);
        // "a" vanished unmoved: not a stall of a held lease. "b" counted from 5 s only.
        assertThat(longest.leaseKey()).isEqualTo("b");
        assertThat(longest.nanos()).isEqualTo(1_000 * MS);
        assertThat(tracker.leases()).isEqualTo(1);
    }

    @Test
    void nothingObservedIsNoStall() {
        CounterStallTracker tracker = new CounterStallTracker();
        assertThat(tracker.finish(1_000 * MS)).isEqualTo(CounterStallTracker.Stall.NONE);
        assertThat(tracker.meanChangeIntervalNanos()).isZero();
    }
}
