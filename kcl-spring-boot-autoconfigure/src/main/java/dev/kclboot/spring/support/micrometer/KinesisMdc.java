package dev.kclboot.spring.support.micrometer;

/**
 * The MDC keys a listener delivery sets for the length of the listener call (and removes afterwards), so that the
 * listener's log lines say which record (for a batch: the first record) they are about.
 */
public final class KinesisMdc {

    /** The stream's name or ARN. */
    public static final String STREAM = "kcl.stream";

    /** The shard id. */
    public static final String SHARD_ID = "kcl.shardId";

    /** The record's sequence number; for a batch, that of its first record. */
    public static final String SEQUENCE_NUMBER = "kcl.sequenceNumber";

    /** The listener's id. */
    public static final String LISTENER_ID = "kcl.listenerId";

    private KinesisMdc() {
    }
}
