package dev.kclboot.core.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link InFlightLimit}: the bound, FIFO order of waiting calls, failures passing the permit on. */
class InFlightLimitTest {

    @Test
    void startsAtMostTheLimitAndTheRestInOrderAsCallsComplete() {
        InFlightLimit limit = new InFlightLimit(2);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<CompletableFuture<Integer>> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            CompletableFuture<Integer> call = new CompletableFuture<>();
            calls.add(call);
            outcomes.add(limit.submit(() -> {
                started.add(n);
                return call;
            }));
        }
        assertThat(started).containsExactly(0, 1);
        assertThat(limit.inFlight()).isEqualTo(2);
        assertThat(limit.waiting()).isEqualTo(3);

        calls.get(1).complete(11);
        assertThat(outcomes.get(1)).isCompletedWithValue(11);
        assertThat(started).containsExactly(0, 1, 2);
        calls.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertThat(outcomes.get(0)).isCompletedExceptionally();
        assertThat(started).as("a failure passes the permit on too").containsExactly(0, 1, 2, 3);
        calls.get(2).complete(12);
        calls.get(3).complete(13);
        assertThat(started).containsExactly(0, 1, 2, 3, 4);
        assertThat(limit.inFlight()).isEqualTo(1);
        calls.get(4).complete(14);
        assertThat(limit.inFlight()).isZero();
        assertThat(limit.waiting()).isZero();
        assertThat(outcomes.get(4)).isCompletedWithValue(14);
    }

    @Test
    void aCallThatThrowsFailsItsOutcomeAndFreesItsPermit() {
        InFlightLimit limit = new InFlightLimit(1);
        CompletableFuture<Integer> thrown = limit.submit(() -> {
            throw new IllegalArgumentException("bad request");
        });
        assertThat(thrown).isCompletedExceptionally();
        AtomicInteger calls = new AtomicInteger();
        assertThat(limit.submit(() -> CompletableFuture.completedFuture(calls.incrementAndGet())))
                .isCompletedWithValue(1);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new InFlightLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }
}
