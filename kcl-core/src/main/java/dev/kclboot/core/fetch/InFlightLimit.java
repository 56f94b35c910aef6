package dev.kclboot.core.fetch;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * At most so many calls in flight; the others wait in FIFO order, holding no thread, and start as calls complete.
 * An async client would otherwise send every shard's read at once (200 GetShardIterator calls when a worker takes 200
 * leases), which bunches the load on the service instead of spreading it, as the bounded pool of blocking calls did.
 */
final class InFlightLimit {

    private final int limit;

    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

    private int inFlight;

    InFlightLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Starts the call now, or when a permit is free; its outcome is the call's. */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> running;
            try {
                running = call.get();
            }
            catch (RuntimeException ex) {
                running = CompletableFuture.failedFuture(ex);
            }
            running.whenComplete((value, failure) -> {
                release();
                if (failure == null) {
                    outcome.complete(value);
                }
                else {
                    outcome.completeExceptionally(failure);
                }
            });
        };
        boolean now;
        synchronized (this) {
            now = inFlight < limit;
            if (now) {
                inFlight++;
            }
            else {
                waiting.addLast(start);
            }
        }
        if (now) {
            start.run();
        }
        return outcome;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run(); // The permit passes to the next call.
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
