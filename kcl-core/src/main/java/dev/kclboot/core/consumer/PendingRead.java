package dev.kclboot.core.consumer;

import dev.kclboot.core.fetch.FetchOutcome;
import org.jspecify.annotations.Nullable;

/**
 * The one read of a shard in flight (or scheduled): completed by the fetch thread, taken by the consumer's step.
 * Cancelling only makes a read that has not started skip its call and its result be dropped.
 */
final class PendingRead {

    private @Nullable FetchOutcome outcome;

    private boolean cancelled;

    synchronized boolean isCancelled() {
        return cancelled;
    }

    synchronized void cancel() {
        cancelled = true;
    }

    synchronized void complete(FetchOutcome result) {
        this.outcome = result;
    }

    synchronized boolean isDone() {
        return outcome != null;
    }

    synchronized FetchOutcome outcome() {
        if (outcome == null) {
            throw new IllegalStateException("The read has not completed");
        }
        return outcome;
    }
}
