package dev.kclboot.core.fetch;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * At most so many calls in flight; the others wait in FIFO order, holding no thread, and start as calls complete.
 * An async client would otherwise send every shard's read at once (200 GetShardIterator calls when a worker takes 200
 * leases), which bunches the load on the service instead of spreading it, as the bounded pool of blocking calls did.
 * <p>
 * A waiting call is started on the given executor, never on the thread that completed the call before it: that thread
 * may be the HTTP client's event loop, which must not marshal, sign or fetch credentials for the next request.
 */
final class InFlightLimit {

    private final int limit;

    private final Executor starter;

    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

    private int inFlight;

    InFlightLimit(int limit, Executor starter) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.starter = starter;
    }

    /**
     * Starts the call now, or when a permit is free; its outcome is the call's. Cancelling the outcome of a call that
     * still waits means it is never sent.
     */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Runnable start = () -> start(call, outcome);
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

    /** Runs holding a permit; whatever happens, the permit is given back exactly once and the outcome completes. */
    private <T> void start(Supplier<CompletableFuture<T>> call, CompletableFuture<T> outcome) {
        if (outcome.isDone()) {
            release(); // Cancelled while waiting: the reader that wanted it is gone.
            return;
        }
        CompletableFuture<T> running;
        try {
            running = call.get();
            if (running == null) {
                throw new IllegalStateException("the client returned no future");
            }
        }
        catch (Throwable ex) {
            running = CompletableFuture.failedFuture(ex);
        }
        running.whenComplete((value, failure) -> {
            try {
                release();
            }
            finally {
                if (failure == null) {
                    outcome.complete(value);
                }
                else {
                    outcome.completeExceptionally(failure);
                }
            }
        });
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
            // The permit passes to the next call.
            try {
                starter.execute(next);
            }
            catch (RejectedExecutionException ex) {
                next.run(); // Shutting down: the call fails fast on the closed client and completes its outcome.
            }
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
