package dev.kclboot.core.lease;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RenewalPhase}: the phase is kept unless the renewal went out more than half an interval late. */
class RenewalPhaseTest {

    private static final long INTERVAL = 3_000;

    @Test
    void aRenewalSentOnTimeKeepsThePhase() {
        assertThat(RenewalPhase.next(10_000, 10_000, INTERVAL)).isEqualTo(13_000);
    }

    @Test
    void aRenewalSentLateKeepsThePhaseSoLeasesDoNotDriftOntoTheRenewerTicks() {
        for (long late = 0; late <= INTERVAL / 2; late += 100) {
            assertThat(RenewalPhase.next(10_000, 10_000 + late, INTERVAL)).as("late by %d", late).isEqualTo(13_000);
        }
    }

    @Test
    void aRenewalSentMoreThanHalfAnIntervalLateStartsANewPhaseOneIntervalAfterItWasSent() {
        for (long late = INTERVAL / 2 + 1; late <= 5 * INTERVAL; late += 250) {
            assertThat(RenewalPhase.next(10_000, 10_000 + late, INTERVAL)).as("late by %d", late)
                    .isEqualTo(10_000 + late + INTERVAL);
        }
    }

    @Test
    void theNextRenewalIsNeverSoonerThanHalfAnIntervalAfterThisOneNorLaterThanOneInterval() {
        for (long late = 0; late <= 4 * INTERVAL; late += 7) {
            long sent = 10_000 + late;
            long next = RenewalPhase.next(10_000, sent, INTERVAL);
            assertThat(next - sent).as("late by %d", late).isBetween(INTERVAL / 2, INTERVAL);
        }
    }

    @Test
    void theNanoTimeOriginDoesNotMatterAcrossOverflow() {
        long due = Long.MAX_VALUE - 1_000;
        assertThat(RenewalPhase.next(due, due + 500, INTERVAL)).isEqualTo(due + INTERVAL);
        assertThat(RenewalPhase.next(due, due + 2_000, INTERVAL)).isEqualTo(due + 2_000 + INTERVAL);
    }

    @Test
    void aLeaseJustTakenStartsAtAPhaseSpreadOverTheWholeInterval() {
        assertThat(RenewalPhase.firstAfter(0.0, INTERVAL)).isEqualTo(1);
        assertThat(RenewalPhase.firstAfter(0.5, INTERVAL)).isEqualTo(INTERVAL / 2);
        assertThat(RenewalPhase.firstAfter(Math.nextDown(1.0), INTERVAL)).isEqualTo(INTERVAL - 1);
        for (int i = 0; i < 1000; i++) {
            long exact = i * INTERVAL / 1000; // the double product may round one nanosecond down
            assertThat(RenewalPhase.firstAfter(i / 1000.0, INTERVAL)).isBetween(Math.max(1, exact - 1), Math.max(1, exact));
        }
    }

    @Test
    void aRenewalWellAfterACheckpointStaysWhereItIs() {
        assertThat(RenewalPhase.afterWrite(13_000, 10_000, INTERVAL)).isEqualTo(13_000);
        assertThat(RenewalPhase.afterWrite(13_000, 12_250, INTERVAL)).isEqualTo(13_000);
    }

    @Test
    void aRenewalDueSoonAfterACheckpointIsSkippedByWholeIntervalsKeepingThePhase() {
        assertThat(RenewalPhase.afterWrite(13_000, 12_251, INTERVAL)).isEqualTo(16_000);
        assertThat(RenewalPhase.afterWrite(13_000, 12_999, INTERVAL)).isEqualTo(16_000);
        // A due time left in the past (renewals failed) moves on by as many intervals as it takes.
        assertThat(RenewalPhase.afterWrite(1_000, 12_999, INTERVAL)).isEqualTo(16_000);
    }

    @Test
    void afterACheckpointTheNextRenewalComesBetweenAQuarterAndOneAndAQuarterIntervalsInPhase() {
        for (long due = 0; due <= 3 * INTERVAL; due += 37) {
            for (long write = due - INTERVAL; write <= 6 * INTERVAL; write += 53) {
                // A held lease's renewal is never due more than one interval after its latest write.
                long next = RenewalPhase.afterWrite(due, write, INTERVAL);
                assertThat(next - write).as("due %d, write %d", due, write)
                        .isBetween(INTERVAL / 4, INTERVAL / 4 + INTERVAL);
                assertThat(Math.floorMod(next - due, INTERVAL)).isZero();
                assertThat(next).isGreaterThanOrEqualTo(due);
            }
        }
    }
}
