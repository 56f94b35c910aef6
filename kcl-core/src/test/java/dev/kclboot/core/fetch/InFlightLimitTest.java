package dev.kclboot.core.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link InFlightLimit}: the bound, FIFO order of waiting calls, failures passing the permit on, waiting calls started
 * on the executor (not on the completing thread), cancelled waiting calls never sent.
 */
class InFlightLimitTest {

    @Test
    void startsAtMostTheLimitAndTheRestInOrderAsCallsComplete() {
        InFlightLimit limit = new InFlightLimit(2, Runnable::run);
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
        InFlightLimit limit = new InFlightLimit(1, Runnable::run);
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
    void aWaitingCallStartsOnTheStarterNotOnTheThreadThatCompletedTheCallBeforeIt() {
        List<Runnable> handedOver = new ArrayList<>();
        InFlightLimit limit = new InFlightLimit(1, handedOver::add);
        CompletableFuture<Integer> first = new CompletableFuture<>();
        List<Integer> started = new ArrayList<>();
        limit.submit(() -> first);
        CompletableFuture<Integer> second = limit.submit(() -> {
            started.add(2);
            return CompletableFuture.completedFuture(2);
        });
        first.complete(1); // On the "event loop": it must not send the next request itself.
        assertThat(started).isEmpty();
        assertThat(handedOver).hasSize(1);
        assertThat(limit.inFlight()).as("the permit passed on, not returned").isEqualTo(1);
        handedOver.get(0).run();
        assertThat(started).containsExactly(2);
        assertThat(second).isCompletedWithValue(2);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void aWaitingCallWhoseOutcomeWasCancelledIsNeverSent() {
        InFlightLimit limit = new InFlightLimit(1, Runnable::run);
        CompletableFuture<Integer> first = new CompletableFuture<>();
        limit.submit(() -> first);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Integer> cancelled = limit.submit(() -> CompletableFuture.completedFuture(sent.incrementAndGet()));
        cancelled.cancel(false);
        first.complete(1);
        assertThat(sent).hasValue(0);
        assertThat(limit.inFlight()).isZero();
        assertThat(limit.waiting()).isZero();
    }

    @Test
    void aClientThatThrowsAnErrorOrReturnsNoFutureFailsTheOutcomeAndFreesThePermit() {
        InFlightLimit limit = new InFlightLimit(1, Runnable::run);
        assertThat(limit.submit(() -> {
            throw new LinkageError("missing class");
        })).isCompletedExceptionally();
        assertThat(limit.<Integer>submit(() -> null)).isCompletedExceptionally();
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void aStarterThatRefusesStartsTheWaitingCallInPlaceSoItsOutcomeCompletes() {
        InFlightLimit limit = new InFlightLimit(1, command -> {
            throw new RejectedExecutionException("shut down");
        });
        CompletableFuture<Integer> first = new CompletableFuture<>();
        limit.submit(() -> first);
        CompletableFuture<Integer> second = limit.submit(
                () -> CompletableFuture.failedFuture(new IllegalStateException("client closed")));
        first.complete(1);
        assertThat(second).isCompletedExceptionally();
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new InFlightLimit(0, Runnable::run)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }
}
