package dev.kclboot.multilang.protocol;

/**
 * The lifecycle messages the host sends to a child, with their wire names (the {@code action} field) and whether
 * the child may checkpoint while handling them. The child answers each with a {@code status} whose
 * {@code responseFor} is the wire name.
 */
public enum HostAction {

    /** The first message; the child may not checkpoint (the daemon replies {@code InvalidStateException}). */
    INITIALIZE("initialize", false),

    /** A batch of records; checkpointing is allowed up to its last record. */
    PROCESS_RECORDS("processRecords", true),

    /** The lease was lost; checkpointing is refused. The last message of the child. */
    LEASE_LOST("leaseLost", false),

    /** The shard ended; a plain checkpoint records SHARD_END. The last message of the child. */
    SHARD_ENDED("shardEnded", true),

    /** The host is stopping (or handing the lease over); the child may checkpoint. {@code leaseLost} follows. */
    SHUTDOWN_REQUESTED("shutdownRequested", true);

    private final String wireName;

    private final boolean checkpointAllowed;

    HostAction(String wireName, boolean checkpointAllowed) {
        this.wireName = wireName;
        this.checkpointAllowed = checkpointAllowed;
    }

    /** The value of the {@code action} field. */
    public String wireName() {
        return wireName;
    }

    /** Whether a {@code checkpoint} line from the child is carried out while this message is handled. */
    public boolean checkpointAllowed() {
        return checkpointAllowed;
    }
}
