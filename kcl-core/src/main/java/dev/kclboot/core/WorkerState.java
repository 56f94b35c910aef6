package dev.kclboot.core;

/**
 * The lifecycle of a {@link Worker}.
 */
public enum WorkerState {

    /** Built, not started. */
    CREATED,

    /** {@code start()} was called; checking the streams and the lease table. */
    INITIALIZING,

    /** Renewing, taking and processing leases. */
    RUNNING,

    /** {@code shutdown()} is finishing batches, checkpointing and releasing leases. */
    SHUTTING_DOWN,

    /** Stopped after {@code shutdown()}. */
    STOPPED,

    /** Stopped because of an error it could not recover from; see {@link Worker#failure()}. */
    FAILED
}
