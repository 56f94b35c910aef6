package dev.kclboot.multilang.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A protocol message read from a child's stdout.
 */
public sealed interface ChildMessage {

    /**
     * The child finished handling a message.
     * @param responseFor the wire name of the action it answers
     */
    record Status(String responseFor) implements ChildMessage {
    }

    /**
     * The child asks for a checkpoint. Both positions null means "at the last record delivered"; a sequence number
     * without a sub-sequence number covers the whole (possibly aggregated) record, as in the daemon.
     * @param sequenceNumber the sequence number, or null
     * @param subSequenceNumber the sub-sequence number, or null (Node's aws-kcl leaves it out)
     * @param problem why the request cannot be carried out (e.g. the sequence number was an object), else null; the
     * child then gets the {@code IllegalArgumentException} error instead of a checkpoint
     */
    record CheckpointRequest(@Nullable String sequenceNumber, @Nullable Long subSequenceNumber,
            @Nullable String problem) implements ChildMessage {

        /** A request at the last record delivered. */
        public static CheckpointRequest atLastRecord() {
            return new CheckpointRequest(null, null, null);
        }
    }
}
