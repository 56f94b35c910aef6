package dev.kclboot.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Placeholder while the engine is written; replaced in the engine commit. */
final class WorkerEngine {

    WorkerEngine(WorkerConfig config) {
    }

    void start() {
        throw new UnsupportedOperationException("engine in progress");
    }

    boolean shutdown(Duration timeout) {
        throw new UnsupportedOperationException("engine in progress");
    }

    WorkerState state() {
        return WorkerState.CREATED;
    }

    @Nullable Throwable failure() {
        return null;
    }

    List<HeldLease> heldLeases() {
        return List.of();
    }

    @Nullable Instant lastRenewal() {
        return null;
    }

    void pause(String stream) {
    }

    void resume(String stream) {
    }

    boolean isPaused(String stream) {
        return false;
    }
}
